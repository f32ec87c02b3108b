/**
 * What the page can offer, read from the gateway's own OpenAPI document (/docs/openapi.json), so features the
 * API gains later light up without a new page: face listings (`GET /v1/assets/{id}/faces`) and numeric motion
 * controls (the number fields of CreateEditRequest's `motion` object), each with its bounds and description.
 * The controls are relative adjustments (the API's default mode): their bounds are the schema's minimum and
 * maximum, or the relative range the description states (`… relative -30…30, absolute …`).
 */
export interface NumericControl {
  name: string;
  label: string;
  min: number;
  max: number;
  step: number;
  defaultValue: number;
  description: string;
}

export interface Capabilities {
  /** `GET /v1/assets/{id}/faces` exists: show the detected faces to pick from. */
  faces: boolean;
  /** Controls of the edit's `motion` object (empty when the API has none). */
  motion: NumericControl[];
}

type Schema = {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  default?: number;
  description?: string;
  properties?: Record<string, Schema>;
  $ref?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

export const FACES_PATH = '/v1/assets/{id}/faces';

function resolve(document: { components?: { schemas?: Record<string, Schema> } }, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];
  return ref ? document.components?.schemas?.[ref] : schema;
}

const isNumeric = (schema: Schema): boolean => [schema.type].flat().some((type) => type === 'number' || type === 'integer');

/** [min, max] from the schema, else from "relative A…B" in the description; null when neither says. */
function boundsOf(schema: Schema): [number, number] | null {
  if (schema.minimum !== undefined && schema.maximum !== undefined) return [schema.minimum, schema.maximum];
  const stated = schema.description?.match(/relative\s+(-?\d+(?:\.\d+)?)\s*(?:…|\.\.\.?)\s*(-?\d+(?:\.\d+)?)/);
  return stated ? [Number(stated[1]), Number(stated[2])] : null;
}
const labelOf = (name: string): string =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .replace(/^./, (first) => first.toUpperCase());

export function capabilitiesOf(document: unknown): Capabilities {
  const doc = (document ?? {}) as { paths?: Record<string, { get?: unknown }>; components?: { schemas?: Record<string, Schema> } };
  const faces = Boolean(doc.paths?.[FACES_PATH]?.get);
  const request = resolve(doc, doc.components?.schemas?.['CreateEditRequest']);
  const motionSchema = resolve(doc, request?.properties?.['motion']);
  // `motion` may be nullable (anyOf [object, null]): take the object branch.
  const motionObject = motionSchema?.properties
    ? motionSchema
    : [...(motionSchema?.anyOf ?? []), ...(motionSchema?.oneOf ?? [])].map((branch) => resolve(doc, branch)).find((branch) => branch?.properties);
  const motion = Object.entries(motionObject?.properties ?? {}).flatMap(([name, raw]) => {
    const schema = resolve(doc, raw);
    const bounds = schema && isNumeric(schema) ? boundsOf(schema) : null;
    if (!schema || !bounds) return [];
    const [min, max] = bounds;
    const integer = [schema.type].flat().includes('integer');
    const unit = schema.description?.match(/Unit:\s*([^;.]+)/)?.[1]?.trim();
    return [
      {
        name,
        label: unit ? `${labelOf(name)} (${unit})` : labelOf(name),
        min,
        max,
        step: integer ? 1 : (max - min) / 100,
        defaultValue: typeof schema.default === 'number' ? schema.default : Math.min(max, Math.max(min, 0)),
        description: schema.description ?? '',
      },
    ];
  });
  return { faces, motion };
}

/** A detected face as the page draws it: its index and box in image pixels. */
export interface FaceBox {
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

type RawBox = { x?: number; y?: number; width?: number; height?: number; left?: number; top?: number } | number[];

/** The faces of a faces answer (`{ faces: [...] }` or a bare array; boxes as objects or [x, y, w, h]), largest first. */
export function facesOf(answer: unknown): FaceBox[] {
  const list = Array.isArray(answer) ? answer : Array.isArray((answer as { faces?: unknown })?.faces) ? (answer as { faces: unknown[] }).faces : [];
  return list.flatMap((item, position) => {
    const face = item as { index?: number; faceIndex?: number; box?: RawBox };
    const box = face.box;
    const [x, y, width, height] = Array.isArray(box) ? box : [box?.x ?? box?.left, box?.y ?? box?.top, box?.width, box?.height];
    if (![x, y, width, height].every((value) => typeof value === 'number' && Number.isFinite(value))) return [];
    return [{ index: face.index ?? face.faceIndex ?? position, x: x as number, y: y as number, width: width as number, height: height as number }];
  });
}
