import type { K8sObject } from './manifests';
import { modelModuleFor } from './schema-models';
import { validateAgainstSchemas } from './validate-objects';

describe('modelModuleFor', () => {
  it('maps core, built-in groups and the KEDA / prometheus-operator CRDs to their model modules', () => {
    expect(modelModuleFor('v1', 'Service')).toBe('kubernetes-models/v1/Service');
    expect(modelModuleFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toBe('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler');
    expect(modelModuleFor('keda.sh/v1alpha1', 'ScaledObject')).toBe('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject');
    expect(modelModuleFor('monitoring.coreos.com/v1', 'ServiceMonitor')).toBe('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor');
  });

  it('knows no model for other groups or malformed kinds', () => {
    expect(modelModuleFor('example.com/v1', 'Widget')).toBeUndefined();
    expect(modelModuleFor('v1', '../../evil')).toBeUndefined();
  });
});

describe('validateAgainstSchemas', () => {
  const deployment = (containerPort: unknown): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort }] }] } },
    },
  });

  it('accepts valid objects and names the field of an invalid one, CRDs included, and refuses unknown kinds', async () => {
    const scaledObject: K8sObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'gpu' },
      spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'redis', metadata: { listName: 7 } }] },
    };
    const widget: K8sObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    const problems = await validateAgainstSchemas([deployment(8080), deployment('http'), scaledObject, widget]);
    expect(problems).toEqual([
      { ref: 'Deployment/web', error: expect.stringContaining('containers/0/ports/0/containerPort must be integer') },
      { ref: 'ScaledObject/gpu', error: expect.stringContaining('triggers/0/metadata/listName must be string') },
      { ref: 'Widget/w', error: 'no schema known for example.com/v1 Widget' },
    ]);
  });
});
