/**
 * Reads one stack out of a synthesized cloud assembly directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Template } from './template';
import type { CloudAssemblyLike } from '../protocol/types';

export interface StackArtifact {
  /** CloudFormation stack name. */
  readonly stackName: string;
  readonly artifactId: string;
  /** Assembly directory holding the template and the `asset.*` directories. */
  readonly directory: string;
  readonly template: Template;
  /** Logical id → construct path without the stack prefix (from `aws:cdk:logicalId` metadata). */
  readonly constructPaths: Map<string, string>;
  /** S3 object key of a file asset → absolute path of its source in the assembly. */
  readonly assets: Map<string, string>;
  /** The account and region the stack is synthesized for, when the stack names them. */
  readonly environment?: { readonly account?: string; readonly region?: string };
}

interface Manifest {
  readonly artifacts?: Record<string, ArtifactEntry>;
}

interface ArtifactEntry {
  readonly type: string;
  /** `aws://<account>/<region>`, with `unknown-account` and `unknown-region` for environment-agnostic stacks. */
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: Record<string, any>;
  readonly metadata?: Record<string, Array<{ type: string; data?: unknown }>>;
  readonly additionalMetadataFile?: string;
}

interface FoundStack {
  readonly id: string;
  readonly entry: ArtifactEntry;
  readonly directory: string;
  readonly manifest: Manifest;
}

/** Loads a stack by CloudFormation name, artifact id or display name; the only stack when omitted. */
export function loadStack(assembly: string | CloudAssemblyLike, stackName?: string): StackArtifact {
  const directory = path.resolve(typeof assembly === 'string' ? assembly : assembly.directory);
  const stacks = findStacks(directory);
  const nameOf = (s: FoundStack) => String(s.entry.properties?.stackName ?? s.id);
  const matches = stackName === undefined
    ? stacks
    : stacks.filter(s => [nameOf(s), s.id, s.entry.displayName].includes(stackName));
  if (matches.length !== 1) {
    const available = stacks.map(nameOf).join(', ') || 'none';
    const what = stackName === undefined ? 'Specify a stack name' : `Stack ${stackName} not found`;
    throw new Error(`${what} (stacks in ${directory}: ${available})`);
  }
  const found = matches[0];
  const templateFile = path.join(found.directory, found.entry.properties?.templateFile);
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as Template;
  return {
    stackName: nameOf(found),
    artifactId: found.id,
    directory: found.directory,
    template,
    constructPaths: constructPaths(found),
    assets: assetLocations(found),
    environment: environmentOf(found.entry.environment),
  };
}

function environmentOf(environment: string | undefined): StackArtifact['environment'] {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  if (!match) {
    return undefined;
  }
  const known = (value: string) => (value.startsWith('unknown-') ? undefined : value);
  return { account: known(match[1]), region: known(match[2]) };
}

function readManifest(directory: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as Manifest;
}

/** Stacks of this assembly and of nested assemblies (CDK stages). */
function findStacks(directory: string): FoundStack[] {
  const manifest = readManifest(directory);
  const result: FoundStack[] = [];
  for (const [id, entry] of Object.entries(manifest.artifacts ?? {})) {
    if (entry.type === 'aws:cloudformation:stack') {
      result.push({ id, entry, directory, manifest });
    } else if (entry.type === 'cdk:cloud-assembly' && entry.properties?.directoryName) {
      result.push(...findStacks(path.join(directory, entry.properties.directoryName)));
    }
  }
  return result;
}

function constructPaths(found: FoundStack): Map<string, string> {
  const metadata: Record<string, Array<{ type: string; data?: unknown }>> = { ...found.entry.metadata };
  if (found.entry.additionalMetadataFile) {
    const file = path.join(found.directory, found.entry.additionalMetadataFile);
    if (fs.existsSync(file)) Object.assign(metadata, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  const prefix = `/${found.entry.displayName ?? found.id}/`;
  const paths = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') {
        paths.set(e.data, constructPath.startsWith(prefix) ? constructPath.slice(prefix.length) : constructPath.replace(/^\//, ''));
      }
    }
  }
  return paths;
}

function assetLocations(found: FoundStack): Map<string, string> {
  const assets = new Map<string, string>();
  for (const entry of Object.values(found.manifest.artifacts ?? {})) {
    if (entry.type !== 'cdk:asset-manifest' || !entry.properties?.file) continue;
    const file = path.join(found.directory, entry.properties.file);
    if (!fs.existsSync(file)) continue;
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const asset of Object.values<any>(manifest.files ?? {})) {
      for (const destination of Object.values<any>(asset.destinations ?? {})) {
        if (destination.objectKey && asset.source?.path) {
          assets.set(destination.objectKey, path.join(found.directory, asset.source.path));
        }
      }
    }
  }
  return assets;
}
