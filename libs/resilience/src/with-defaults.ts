/**
 * Defaults overlaid by the given options, skipping `undefined`: an optional config field passed
 * through as `{maxQueue: undefined}` must not erase the default.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...defaults, ...given } as D & O;
}
