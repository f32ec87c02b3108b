import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capabilitiesOf, facesOf, FACES_PATH } from './capabilities';

interface Document {
  paths: Record<string, unknown>;
  components: { schemas: { CreateEditRequest: { properties: Record<string, unknown> } } };
}
const current = (): Document => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.json'), 'utf8')) as Document;

describe('capabilitiesOf', () => {
  it('offers face picking only when the document has the faces route', () => {
    const document = current();
    delete document.paths[FACES_PATH];
    expect(capabilitiesOf(document).faces).toBe(false);
    document.paths[FACES_PATH] = { get: { summary: 'Detected faces.' } };
    expect(capabilitiesOf(document).faces).toBe(true);
  });

  it('turns the numeric fields of a nullable `motion` object into bounded controls', () => {
    const document = current();
    document.components.schemas.CreateEditRequest.properties.motion = {
      anyOf: [
        {
          type: 'object',
          properties: {
            yaw: { type: 'number', minimum: -45, maximum: 45, description: 'Head turn, degrees.' },
            smileStrength: { type: 'integer', minimum: 0, maximum: 10, default: 3 },
            label: { type: 'string' },
          },
        },
        { type: 'null' },
      ],
    };
    expect(capabilitiesOf(document).motion).toEqual([
      { name: 'yaw', label: 'Yaw', min: -45, max: 45, step: 0.9, defaultValue: 0, description: 'Head turn, degrees.' },
      { name: 'smileStrength', label: 'Smile Strength', min: 0, max: 10, step: 1, defaultValue: 3, description: '' },
    ]);
  });

  it('takes the relative range a control states in its description when the schema has no bounds, and skips text fields', () => {
    const document = current();
    document.components.schemas.CreateEditRequest.properties.motion = {
      type: 'object',
      properties: {
        mode: { type: 'string', enum: ['relative', 'absolute'] },
        smile: { type: 'number', description: 'Lip corners up. Unit: iod; relative -0.15…0.15, absolute -0.1…0.15.' },
        mystery: { type: 'number', description: 'No range stated.' },
      },
    };
    expect(capabilitiesOf(document).motion).toEqual([
      {
        name: 'smile',
        label: 'Smile (iod)',
        min: -0.15,
        max: 0.15,
        step: 0.003,
        defaultValue: 0,
        description: 'Lip corners up. Unit: iod; relative -0.15…0.15, absolute -0.1…0.15.',
      },
    ]);
  });

  it('offers no motion controls for the current document unless it has them', () => {
    const document = current();
    const hasMotion = Boolean(document.components.schemas.CreateEditRequest.properties.motion);
    expect(capabilitiesOf(document).motion.length > 0).toBe(hasMotion);
  });
});

describe('facesOf', () => {
  it('reads boxes as objects or arrays and skips faces without a box', () => {
    expect(facesOf({ faces: [{ index: 0, box: { x: 1, y: 2, width: 30, height: 40 } }, { box: [5, 6, 7, 8] }, { index: 2 }] })).toEqual([
      { index: 0, x: 1, y: 2, width: 30, height: 40 },
      { index: 1, x: 5, y: 6, width: 7, height: 8 },
    ]);
    expect(facesOf('nonsense')).toEqual([]);
  });
});
