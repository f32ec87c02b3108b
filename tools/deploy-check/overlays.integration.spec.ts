import { findTool, missingToolMessage } from './binaries';
import { objectRef, overlayNames, renderOverlay, type K8sObject } from './manifests';
import { checkOverlay } from './manifest-checks';
import { validateAgainstSchemas } from './validate-objects';

const kubectl = findTool('kubectl');

it('has a dev and a prod overlay', () => {
  expect(overlayNames()).toEqual(['dev', 'prod']);
});

(kubectl ? describe : describe.skip)(kubectl ? `every overlay, rendered by ${kubectl} kustomize` : missingToolMessage('kubectl'), () => {
  const rendered = new Map<string, K8sObject[]>();

  beforeAll(async () => {
    for (const overlay of overlayNames()) rendered.set(overlay, await renderOverlay(kubectl as string, overlay));
  });

  it.each(overlayNames())('%s: renders the service, its autoscalers and its monitoring', (overlay) => {
    const refs = (rendered.get(overlay) ?? []).map(objectRef);
    for (const expected of [
      'Deployment/facex-gateway',
      'Deployment/facex-webhook-worker',
      'Deployment/facex-extractor-worker',
      'Deployment/facex-diffusion-worker',
      'Deployment/facex-video-worker',
      'StatefulSet/facex-redis',
      'HorizontalPodAutoscaler/facex-gateway',
      'HorizontalPodAutoscaler/facex-webhook-worker',
      'HorizontalPodAutoscaler/facex-extractor-worker',
      'ScaledObject/facex-diffusion-worker',
      'ScaledObject/facex-video-worker',
      'ServiceMonitor/facex',
      'PrometheusRule/facex',
    ]) {
      expect(refs).toContain(expected);
    }
  });

  it.each(overlayNames())('%s: every object is valid against its Kubernetes or CRD schema', async (overlay) => {
    expect(await validateAgainstSchemas(rendered.get(overlay) ?? [])).toEqual([]);
  });

  it.each(overlayNames())('%s: meets the deployment requirements (probes, grace, PDBs, GPU placement, scalers, Redis, secrets)', (overlay) => {
    expect(checkOverlay(rendered.get(overlay) ?? [])).toEqual([]);
  });

  it.each(overlayNames())('%s: puts every namespaced object in the overlay namespace', (overlay) => {
    const objects = rendered.get(overlay) ?? [];
    const namespace = objects.find((object) => object.kind === 'Namespace')?.metadata.name;
    expect(namespace).toBeDefined();
    const elsewhere = objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== namespace).map(objectRef);
    expect(elsewhere).toEqual([]);
  });
});
