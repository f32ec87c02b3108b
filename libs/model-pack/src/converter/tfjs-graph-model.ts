/**
 * The TensorFlow.js graph-model format (model.json): a TF GraphDef in JSON plus a weights manifest.
 * Parsing validates only what the converter relies on; unknown fields are kept and ignored.
 */
import { z } from 'zod';
import { FacexError } from '@facex/contracts';

const attrValueSchema = z.looseObject({
  s: z.string().optional(),
  i: z.union([z.string(), z.number()]).optional(),
  f: z.number().optional(),
  b: z.boolean().optional(),
  type: z.string().optional(),
  list: z
    .looseObject({
      s: z.array(z.string()).optional(),
      i: z.array(z.union([z.string(), z.number()])).optional(),
      f: z.array(z.number()).optional(),
    })
    .optional(),
  shape: z.looseObject({ dim: z.array(z.looseObject({ size: z.union([z.string(), z.number()]) })).optional() }).optional(),
});

const nodeSchema = z.looseObject({
  name: z.string().min(1),
  op: z.string().min(1),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), attrValueSchema).optional(),
});

const weightEntrySchema = z.looseObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32']),
  quantization: z
    .looseObject({
      dtype: z.enum(['float16', 'uint8', 'uint16']),
      scale: z.number().optional(),
      min: z.number().optional(),
    })
    .optional(),
});

const graphModelSchema = z.looseObject({
  format: z.literal('graph-model'),
  modelTopology: z.looseObject({ node: z.array(nodeSchema).min(1) }),
  weightsManifest: z.array(z.looseObject({ paths: z.array(z.string()), weights: z.array(weightEntrySchema) })),
});

export type TfjsAttrValue = z.infer<typeof attrValueSchema>;
export type TfjsNode = z.infer<typeof nodeSchema>;
export type TfjsWeightEntry = z.infer<typeof weightEntrySchema>;
export type TfjsGraphModel = z.infer<typeof graphModelSchema>;

/** Validates a parsed model.json; throws `model_pack_invalid` naming the first bad field. */
export function parseGraphModelJson(json: unknown): TfjsGraphModel {
  const result = graphModelSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue ? issue.path.join('.') : '(root)';
    throw new FacexError('model_pack_invalid', `model.json is not a TF.js graph model: ${field}: ${issue?.message}`, { field });
  }
  return result.data;
}

function attr(node: TfjsNode, name: string): TfjsAttrValue | undefined {
  return node.attr?.[name];
}

export function unsupported(node: TfjsNode, why: string): FacexError {
  return new FacexError('model_pack_invalid', `cannot convert node '${node.name}' (${node.op}): ${why}`, { field: node.name });
}

export function attrInts(node: TfjsNode, name: string, fallback: number[] = []): number[] {
  const list = attr(node, name)?.list?.i;
  return list ? list.map(Number) : fallback;
}

export function attrFloat(node: TfjsNode, name: string, fallback: number): number {
  return attr(node, name)?.f ?? fallback;
}

export function attrBool(node: TfjsNode, name: string, fallback: boolean): boolean {
  return attr(node, name)?.b ?? fallback;
}

/** String attributes are base64 in the JSON GraphDef. */
export function attrString(node: TfjsNode, name: string, fallback: string): string {
  const value = attr(node, name)?.s;
  return value === undefined ? fallback : Buffer.from(value, 'base64').toString('utf8');
}

export function attrStrings(node: TfjsNode, name: string): string[] {
  return (attr(node, name)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** Placeholder shape; unknown sizes are -1. */
export function attrShape(node: TfjsNode, name: string): number[] | undefined {
  return attr(node, name)?.shape?.dim?.map((d) => Number(d.size));
}

/** Data inputs of a node (control inputs `^name` dropped); TF refers to output 0 as `name` or `name:0`. */
export function dataInputs(node: TfjsNode): string[] {
  return (node.input ?? [])
    .filter((ref) => !ref.startsWith('^'))
    .map((ref) => {
      const [base, index] = ref.split(':');
      if (index !== undefined && index !== '0') throw unsupported(node, `input '${ref}' reads output ${index}; only single-output producers are supported`);
      return base as string;
    });
}
