import { readFileSync } from 'fs';
import { join } from 'path';

/** Reference to a named shape in the botocore model. */
export interface ShapeRef {
  readonly shape: string;
}

/** The subset of a botocore service-2 shape the simulator reads. */
export interface Shape {
  readonly type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  readonly members?: Record<string, ShapeRef>;
  readonly required?: string[];
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: string[];
  readonly exception?: boolean;
}

export interface OperationModel {
  readonly name: string;
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
  readonly errors?: ShapeRef[];
}

export interface ServiceModel {
  readonly metadata: { readonly targetPrefix: string; readonly apiVersion: string };
  readonly operations: Record<string, OperationModel>;
  readonly shapes: Record<string, Shape>;
}

let cached: ServiceModel | undefined;

/** Loads the Personalize API model kept beside this file (botocore 1.43.107, docs stripped). */
export function loadModel(): ServiceModel {
  cached ??= relaxOutputChecks(JSON.parse(readFileSync(join(__dirname, 'personalize-model.json'), 'utf8')) as ServiceModel);
  return cached;
}

/**
 * DescribeDatasetImportJob returns the IAM role the job was created with, but the model types
 * `DatasetImportJob.roleArn` as `Arn`, whose pattern only matches Personalize ARNs (the request
 * member is `RoleArn`, the IAM pattern). Response validation would reject every real role, so that
 * one member is checked as `RoleArn`, like the request. The file itself stays as botocore has it.
 */
function relaxOutputChecks(model: ServiceModel): ServiceModel {
  const members = model.shapes.DatasetImportJob?.members;
  if (members?.roleArn?.shape === 'Arn') {
    (members as Record<string, ShapeRef>).roleArn = { shape: 'RoleArn' };
  }
  return model;
}
