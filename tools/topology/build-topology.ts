/**
 * Builds the committed topology data of libs/analysis/src/topology from @vladmandic/human run on the sample
 * photos of @vladmandic/face-api:
 *  - mesh-topology.json: Human's face triangulation and UV map, plus the outcome of checking every named
 *    index set of mesh-landmarks.ts against Human's own annotations, and the iris model's contour convention
 *    against the iris model's output (iris-contour-check.ts);
 *  - canonical-face.json: a symmetric, frontal mean face (units: inter-ocular distance) and the mirror pair
 *    of every mesh point.
 * Run: npx tsx tools/topology/build-topology.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { MESH_ANNOTATIONS } from '../../libs/analysis/src/topology/mesh-landmarks';
import { buildCanonicalFace } from './canonical-face-builder';
import { checkIrisContour } from './iris-contour-check';
import { HumanDump, runHuman, SAMPLE_PHOTOS } from './run-human';

const OUT_DIR = path.resolve(__dirname, '../../libs/analysis/src/topology');

/** For every named set, how many of the sample faces' annotation points differ from the mesh points it selects. */
function checkAnnotations(dump: HumanDump): { faces: number; names: number; mismatches: Record<string, number> } {
  const mismatches: Record<string, number> = {};
  for (const [name, indices] of Object.entries(MESH_ANNOTATIONS)) {
    let bad = 0;
    for (const face of dump.faces) {
      const annotated = face.annotations[name];
      if (!annotated || annotated.length !== indices.length) {
        bad += indices.length;
        continue;
      }
      indices.forEach((meshIndex, k) => {
        if (annotated[k].some((value, axis) => value !== face.mesh[meshIndex][axis])) bad++;
      });
    }
    mismatches[name] = bad;
  }
  return { faces: dump.faces.length, names: Object.keys(MESH_ANNOTATIONS).length, mismatches };
}

async function main(): Promise<void> {
  const dump = await runHuman();
  const check = checkAnnotations(dump);
  const failed = Object.entries(check.mismatches).filter(([, n]) => n > 0);
  if (failed.length > 0) throw new Error(`named index sets disagree with Human's annotations: ${JSON.stringify(failed)}`);
  const irisCheck = await checkIrisContour(dump.faces, path.dirname(SAMPLE_PHOTOS[0]));
  const humanVersion = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../node_modules/@vladmandic/human/package.json'), 'utf8')).version;
  const source = `@vladmandic/human ${humanVersion} (wasm backend, bundled models) on @vladmandic/face-api demo sample1..6.jpg`;

  fs.writeFileSync(
    path.join(OUT_DIR, 'mesh-topology.json'),
    JSON.stringify({
      provenance: {
        source: `${source}: Human.faceTriangulation and Human.faceUVMap, copied unchanged`,
        generator: 'tools/topology/build-topology.ts',
        annotationCheck: { ...check, outcome: 'every named set of mesh-landmarks.ts equals Human annotations on every face' },
        irisContourCheck: {
          ...irisCheck,
          method:
            'iris model (Human bundled iris.json) on axis-aligned eye crops; contour points vs the mesh points IRIS_MODEL_CONTOUR_RANGES names, and vs a mapping shifted by 5',
        },
      },
      triangles: dump.triangulation,
      uv: dump.uvMap.flat(),
    }) + '\n',
  );

  const canonical = buildCanonicalFace(
    dump.faces.map((f) => f.mesh.flat()),
    dump.uvMap.flat(),
  );
  fs.writeFileSync(
    path.join(OUT_DIR, 'canonical-face.json'),
    JSON.stringify({
      provenance: {
        source: `${source}: ${dump.faces.length} face meshes and their mirror images`,
        generator: 'tools/topology/build-topology.ts (canonical-face-builder.ts)',
        method: canonical.method,
        units: 'inter-ocular distance (eye centre to eye centre); origin at the midpoint of the eye centres',
        frame: "x toward the subject's left (image right), y down (eyes → mouth), z away from the camera (nose tip has z < 0)",
        stats: canonical.stats,
      },
      points: Array.from(canonical.points, (v) => Math.round(v * 1e5) / 1e5),
      mirror: Array.from(canonical.mirror),
    }) + '\n',
  );
  console.log(JSON.stringify({ faces: dump.faces.length, annotationNames: check.names, irisCheck, canonical: canonical.stats }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
