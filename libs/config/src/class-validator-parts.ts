/* eslint-disable @typescript-eslint/no-require-imports */
import type * as ClassValidator from 'class-validator';

/**
 * The parts of class-validator Turnout uses, each required from its own file. The package's
 * index loads all of its ~100 decorators, the whole `validator` package and libphonenumber-js:
 * 290 modules and 3 MB of heap in every gateway, idle or not (docs/performance.md, "Memory");
 * these 20 parts are 31 modules and 0.3 MB. The paths are class-validator 0.15's CommonJS
 * layout; the types are the package's own. A part renamed or moved upstream fails at load, and
 * the config, envelope and admin tests use every one.
 */
type Parts = typeof ClassValidator;
const part = <K extends keyof Parts>(file: string, name: K): Parts[K] => (require(`class-validator/cjs/${file}`) as Pick<Parts, K>)[name];

export const ArrayMaxSize = part('decorator/array/ArrayMaxSize', 'ArrayMaxSize');
export const ArrayMinSize = part('decorator/array/ArrayMinSize', 'ArrayMinSize');
export const IsArray = part('decorator/typechecker/IsArray', 'IsArray');
export const IsBoolean = part('decorator/typechecker/IsBoolean', 'IsBoolean');
export const IsIn = part('decorator/common/IsIn', 'IsIn');
export const IsInt = part('decorator/typechecker/IsInt', 'IsInt');
export const IsNumber = part('decorator/typechecker/IsNumber', 'IsNumber');
export const IsObject = part('decorator/typechecker/IsObject', 'IsObject');
export const IsOptional = part('decorator/common/IsOptional', 'IsOptional');
export const IsString = part('decorator/typechecker/IsString', 'IsString');
export const IsUrl = part('decorator/string/IsUrl', 'IsUrl');
export const Matches = part('decorator/string/Matches', 'Matches');
export const Max = part('decorator/number/Max', 'Max');
export const MaxLength = part('decorator/string/MaxLength', 'MaxLength');
export const Min = part('decorator/number/Min', 'Min');
export const MinLength = part('decorator/string/MinLength', 'MinLength');
export const ValidateNested = part('decorator/common/ValidateNested', 'ValidateNested');
export const registerDecorator = part('register-decorator', 'registerDecorator');
export const getMetadataStorage = part('metadata/MetadataStorage', 'getMetadataStorage');

const { Validator } = require('class-validator/cjs/validation/Validator') as { Validator: new () => ClassValidator.Validator };
const { getFromContainer } = require('class-validator/cjs/container') as { getFromContainer: typeof ClassValidator.getFromContainer };

/** class-validator's own `validateSync` (its index does exactly this). */
export function validateSync(object: object, options?: ClassValidator.ValidatorOptions): ClassValidator.ValidationError[] {
  return getFromContainer(Validator).validateSync(object, options);
}

export type { ValidationError, ValidationOptions } from 'class-validator';
