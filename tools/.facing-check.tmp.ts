import { FaceAnalyzer } from '@facex/analysis';
import { loadSamplePeople } from '@facex/evaluation';
import { fitFace } from '../../work/main/libs/warp/src/output-mesh';
import { triangleFacing } from '../../work/main/libs/warp/src/facing';
(async () => {
  const analyzer = await FaceAnalyzer.open({ workers: 1 });
  const people = await loadSamplePeople(analyzer);
  await analyzer.close();
  people.forEach((p, i) => {
    const fit = fitFace(p.representation);
    const f = triangleFacing(fit);
    let pos = 0, low = 0; for (const v of f) { if (v > 0) pos++; if (v < 0.35) low++; }
    console.log(i, fit.pose.yaw.toFixed(0), fit.pose.pitch.toFixed(0), 'facing>0', pos, 'below', low, 'of', f.length);
  });
})();
