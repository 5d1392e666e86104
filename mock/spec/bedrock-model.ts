/**
 * Loads the trimmed Bedrock Runtime service model (`specs/bedrock-runtime.json`). The file
 * is found by walking up from this module, so the same code works from the sources and
 * from `dist/` (where specs/ is not copied).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
  [k: string]: unknown;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double'
    | 'boolean' | 'blob' | 'timestamp';
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  union?: boolean;
  document?: boolean;
  eventstream?: boolean;
  event?: boolean;
  exception?: boolean;
  error?: { httpStatusCode: number; senderFault?: boolean };
  sensitive?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  metadata: Record<string, unknown>;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const FILE = join('specs', 'bedrock-runtime.json');
let cached: ServiceModel | undefined;

function findAbove(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Above this module first; then above the working directory (for bundled copies of this code). */
function findSpec(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const found = findAbove(here) ?? findAbove(process.cwd());
  if (!found) throw new Error(`${FILE} not found above ${here} or ${process.cwd()}`);
  return found;
}

export function bedrockModel(): ServiceModel {
  cached ??= JSON.parse(readFileSync(findSpec(), 'utf8')) as ServiceModel;
  return cached;
}

export function getShape(name: string): Shape {
  const shape = bedrockModel().shapes[name];
  if (!shape) throw new Error(`unknown shape ${name} in ${FILE}`);
  return shape;
}
