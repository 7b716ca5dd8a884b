import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

export interface ConsoleAsset {
  readonly bytes: Buffer;
  readonly contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The console build is a handful of small files; more than this means the folder is not ours. */
const MAX_ASSET_BYTES = 4 * 1024 * 1024;

/**
 * The console's static files, built by Vite at package time into `dist/console` (npm run
 * build) and read once at start: a request for a file is a map lookup, never a disk read with a
 * client-chosen path. Only files the build made exist; any other name is a 404.
 */
export class ConsoleAssets {
  private readonly files = new Map<string, ConsoleAsset>();

  constructor(readonly root: string) {
    if (!existsSync(root)) return;
    let total = 0;
    for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      const path = join(root, entry);
      if (!statSync(path).isFile()) continue;
      const type = TYPES[extname(path)];
      if (type === undefined) continue;
      const bytes = readFileSync(path);
      total += bytes.length;
      if (total > MAX_ASSET_BYTES) throw new Error(`${root}: the console build is over ${MAX_ASSET_BYTES} bytes; is this the right folder?`);
      this.files.set(relative(root, path).split(sep).join('/'), { bytes, contentType: type });
    }
  }

  /** Whether `npm run build` produced the console (index.html present). */
  get built(): boolean {
    return this.files.has('index.html');
  }

  get(name: string): ConsoleAsset | undefined {
    return this.files.get(name);
  }
}

/** dist/console beside dist/apps: this file runs from dist/apps/gateway/src/console. */
export const BUILT_CONSOLE_DIR = join(__dirname, '..', '..', '..', '..', 'console');
