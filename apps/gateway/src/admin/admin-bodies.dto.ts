import 'reflect-metadata';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Min, MinLength } from '@turnout/config';

/** `POST /admin/config/rollback` */
export class RollbackDto {
  @IsInt({ message: 'revision: must be an integer' })
  @Min(1, { message: 'revision: must be at least 1' })
  revision!: number;
}

/**
 * `POST /admin/routes/explain`: at least `{model}`; the rest of a Messages body may come along
 * (scenario rules will read it), so only these fields are checked and the others are ignored.
 */
export class ExplainDto {
  @IsString({ message: 'model: must be a string' })
  @MinLength(1, { message: 'model: must not be empty' })
  model!: string;

  @IsOptional()
  @IsObject({ message: 'thinking: must be an object' })
  thinking?: Record<string, unknown>;

  @IsOptional()
  @IsBoolean({ message: 'stream: must be a boolean' })
  stream?: boolean;
}
