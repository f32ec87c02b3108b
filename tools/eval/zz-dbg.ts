import { readFileSync, writeFileSync } from 'node:fs';
import { decodeRepresentation, MESH_POINTS } from '@facex/contracts';
import { fitFace, outputMesh, buildSourceMap, sampleRgb } from '@facex/warp';
import { withRings, EXTENDED_TRIANGLES } from '../../libs/warp/src/topology';
import { encodePng } from '@facex/evaluation';
import { warpRgb, invertAffine, fitSimilarity } from '@facex/imaging';
const person = (i: number) => {
  const meta = JSON.parse(readFileSync(`/tmp/warpdev/p${i}.json`, 'utf8'));
  return { representation: decodeRepresentation(new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.rep`))), image: { data: new Uint8Array(readFileSync(`/tmp/warpdev/p${i}.raw`)), width: meta.w, height: meta.h } };
};
(async () => {
  const s = person(0), t = person(6);
  const fs = fitFace(s.representation), ft = fitFace(t.representation);
  const m = outputMesh({ identity: fs, expression: ft, outline: ft, pose: ft, frame: ft, frameAlignment: t.representation.alignment.matrix });
  const depth = new Float32Array(MESH_POINTS + 72); depth.set(m.depth); depth.fill(1e6, MESH_POINTS);
  const crop = warpRgb(s.image, s.representation.alignment.matrix, 512, 512);
  const outside = invertAffine(fitSimilarity(fs.crop, m.points, MESH_POINTS));
  const map = buildSourceMap({ destination: withRings(m.points), source: withRings(fs.crop), depth, triangles: EXTENDED_TRIANGLES, outside }, 512, 512);
  const layer = sampleRgb(crop, map);
  // draw mesh points
  for (let i = 0; i < MESH_POINTS; i++) { const x = Math.round(m.points[2*i]), y = Math.round(m.points[2*i+1]); if (x>=0&&y>=0&&x<512&&y<512) { const o=(y*512+x)*3; layer.data[o]=0; layer.data[o+1]=255; layer.data[o+2]=0; } }
  writeFileSync('/tmp/warpdev/layer.png', await encodePng(layer));
  for (let i = 0; i < MESH_POINTS; i++) { const x = Math.round(fs.crop[2*i]), y = Math.round(fs.crop[2*i+1]); if (x>=0&&y>=0&&x<512&&y<512) { const o=(y*512+x)*3; crop.data[o]=0; crop.data[o+1]=255; crop.data[o+2]=0; } }
  writeFileSync('/tmp/warpdev/srccrop.png', await encodePng(crop));
})();
