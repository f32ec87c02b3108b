import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8S_DIR, field, findObject, objectsOfKind, parseManifestStream, type K8sObject } from './manifests';
import { checkOverlay, quantityBytes } from './manifest-checks';
import { labelValuesIn } from './promql-names';
import { allRules, dashboardExpressions, loadRuleGroups } from './rules';

/** The base manifests as a prod-like overlay would render them (namespace set, the generated ConfigMap). */
function baseObjects(): K8sObject[] {
  const files = [
    'redis.yaml',
    'gateway.yaml',
    'webhook-worker.yaml',
    'extractor-worker.yaml',
    'diffusion-worker.yaml',
    'video-worker.yaml',
    'monitoring/service-monitor.yaml',
    'monitoring/prometheus-rule.yaml',
  ];
  const objects = files.flatMap((file) => parseManifestStream(readFileSync(join(K8S_DIR, 'base', file), 'utf8')));
  const config: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'facex-config-abc123' }, data: { FACEX_QUEUE_PREFIX: 'facex' } };
  return [...objects, config].map((object) => ({ ...object, metadata: { ...object.metadata, namespace: 'facex' } }));
}

/** A copy of the objects with `edit` applied to the named one. */
function withEdit(kind: string, name: string, edit: (object: Record<string, unknown>) => void): K8sObject[] {
  const objects = structuredClone(baseObjects());
  const target = findObject(objects, kind, name);
  if (!target) throw new Error(`fixture has no ${kind}/${name}`);
  edit(target as unknown as Record<string, unknown>);
  return objects;
}

function container(object: Record<string, unknown>): Record<string, unknown> {
  return (field(object, 'spec.template.spec.containers') as Array<Record<string, unknown>>)[0];
}

describe('checkOverlay', () => {
  it('finds nothing wrong with the base manifests', () => {
    expect(checkOverlay(baseObjects())).toEqual([]);
  });

  it("requires the gateway's upload directory to be a writable emptyDir that holds a video upload", () => {
    const volumes = (deployment: Record<string, unknown>) => field(deployment, 'spec.template.spec.volumes') as Array<Record<string, unknown>>;
    const small = withEdit('Deployment', 'facex-gateway', (deployment) => {
      volumes(deployment)[0] = { name: 'tmp', emptyDir: { sizeLimit: '100Mi' } };
    });
    expect(checkOverlay(small)).toEqual([
      'Deployment/facex-gateway container gateway: the upload directory /tmp needs an emptyDir with a sizeLimit of at least one video upload (200Mi), has 100Mi',
    ]);
    const elsewhere = withEdit('Deployment', 'facex-gateway', (deployment) => {
      (container(deployment)['env'] as Array<Record<string, unknown>>).push({ name: 'FACEX_UPLOAD_DIR', value: '/spool' });
    });
    expect(checkOverlay(elsewhere)).toEqual(['Deployment/facex-gateway container gateway: the upload directory /spool is not a writable volume mount']);
    expect([quantityBytes('2Gi'), quantityBytes('500M'), quantityBytes('1024'), quantityBytes('lots')]).toEqual([2 ** 31, 5e8, 1024, NaN]);
  });

  it('requires /healthz and /readyz probes', () => {
    const objects = withEdit('Deployment', 'facex-gateway', (deployment) => delete container(deployment)['readinessProbe']);
    expect(checkOverlay(objects)).toEqual(['Deployment/facex-gateway container gateway: readiness probe is not GET /readyz']);
  });

  it('requires a grace period longer than the longest job step', () => {
    const objects = withEdit('Deployment', 'facex-diffusion-worker', (deployment) => {
      (field(deployment, 'spec.template.spec') as Record<string, unknown>)['terminationGracePeriodSeconds'] = 30;
    });
    expect(checkOverlay(objects)).toEqual(['Deployment/facex-diffusion-worker: terminationGracePeriodSeconds 30 < 250 (longest step + preStop)']);
  });

  it('requires the GPU toleration', () => {
    const objects = withEdit('Deployment', 'facex-diffusion-worker', (deployment) => {
      (field(deployment, 'spec.template.spec') as Record<string, unknown>)['tolerations'] = [];
    });
    expect(checkOverlay(objects)).toEqual(['Deployment/facex-diffusion-worker: no toleration for nvidia.com/gpu']);
  });

  it('requires scale to zero on the BullMQ wait list of the gpu queue under the configured prefix', () => {
    const notToZero = withEdit('ScaledObject', 'facex-diffusion-worker', (scaled) => ((scaled['spec'] as Record<string, unknown>)['minReplicaCount'] = 1));
    expect(checkOverlay(notToZero)).toEqual(['ScaledObject/facex-diffusion-worker: minReplicaCount is not 0 (no scale to zero)']);
    const otherPrefix = withEdit(
      'ConfigMap',
      'facex-config-abc123',
      (config) => ((config['data'] as Record<string, string>)['FACEX_QUEUE_PREFIX'] = 'tenant7'),
    );
    expect(checkOverlay(otherPrefix)).toEqual([
      'ScaledObject/facex-diffusion-worker: no redis trigger on tenant7:facex-gpu:wait',
      'ScaledObject/facex-video-worker: no redis trigger on tenant7:facex-video:wait',
    ]);
  });

  it('requires the video workers to scale on the video queue, with a grace period that outlasts a chunk', () => {
    const unscaled = baseObjects().filter((object) => !(object.kind === 'ScaledObject' && object.metadata.name === 'facex-video-worker'));
    expect(checkOverlay(unscaled)).toEqual(['Deployment/facex-video-worker: no KEDA ScaledObject']);
    const onGpuQueue = withEdit('ScaledObject', 'facex-video-worker', (scaled) =>
      (field(scaled, 'spec.triggers') as Array<{ metadata: { listName: string } }>).forEach((trigger) => {
        trigger.metadata.listName = trigger.metadata.listName.replace('facex-video', 'facex-gpu');
      }),
    );
    expect(checkOverlay(onGpuQueue)).toEqual(['ScaledObject/facex-video-worker: no redis trigger on facex:facex-video:wait']);
    const short = withEdit('Deployment', 'facex-video-worker', (deployment) => {
      (field(deployment, 'spec.template.spec') as Record<string, unknown>)['terminationGracePeriodSeconds'] = 60;
    });
    expect(checkOverlay(short)).toEqual(['Deployment/facex-video-worker: terminationGracePeriodSeconds 60 < 250 (longest step + preStop)']);
  });

  it('requires the KEDA Redis address to name the overlay namespace', () => {
    const objects = baseObjects().map((object) => ({ ...object, metadata: { ...object.metadata, namespace: 'facex-dev' } }));
    expect(checkOverlay(objects)).toContain(
      'ScaledObject/facex-diffusion-worker: trigger address facex-redis.facex.svc.cluster.local:6379 is not facex-redis.facex-dev.svc.cluster.local:6379',
    );
  });

  it('requires Redis with AOF and noeviction', () => {
    const objects = withEdit('StatefulSet', 'facex-redis', (redis) => {
      const args = container(redis)['args'] as string[];
      args[args.indexOf('--maxmemory-policy') + 1] = 'allkeys-lru';
    });
    expect(checkOverlay(objects)).toEqual(['StatefulSet/facex-redis: maxmemory-policy is not noeviction']);
  });

  it('refuses rendered Secrets and literal secret values', () => {
    const secret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'facex-s3', namespace: 'facex' } };
    expect(checkOverlay([...baseObjects(), secret])).toEqual(['Secret/facex-s3: secrets are referenced, never rendered']);
    const literal = withEdit('Deployment', 'facex-extractor-worker', (deployment) => {
      (container(deployment)['env'] as unknown[]).push({ name: 'S3_SECRET_ACCESS_KEY', value: 'hunter2' });
    });
    expect(checkOverlay(literal)).toEqual([
      'Deployment/facex-extractor-worker container extractor-worker: S3_SECRET_ACCESS_KEY has a literal value, not a secretKeyRef',
    ]);
  });

  it('requires a PodDisruptionBudget, a CPU autoscaler and a ServiceMonitor that selects each service', () => {
    const objects = baseObjects().filter(
      (object) =>
        !(object.kind === 'PodDisruptionBudget' && object.metadata.name === 'facex-gateway') &&
        !(object.kind === 'HorizontalPodAutoscaler' && object.metadata.name === 'facex-extractor-worker'),
    );
    expect(checkOverlay(objects)).toEqual([
      'Deployment/facex-gateway: no PodDisruptionBudget selects its pods',
      'Deployment/facex-extractor-worker: no HorizontalPodAutoscaler',
    ]);
    const unlabelled = withEdit('Service', 'facex-extractor-worker', (service) => delete (service['metadata'] as { labels?: unknown }).labels);
    expect(checkOverlay(unlabelled)).toEqual(['Service/facex-extractor-worker: no ServiceMonitor selects it']);
  });
});

it('selects jobs in the rules and the dashboard by the names of the Services the ServiceMonitor scrapes', () => {
  const services = objectsOfKind(baseObjects(), 'Service').map((service) => service.metadata.name);
  const expressions = [...allRules(loadRuleGroups()).map((rule) => rule.expr), ...dashboardExpressions()];
  // Equality matchers only: `job=~"facex-.*"` is a pattern, not a name.
  const jobs = new Set(expressions.flatMap((expr) => [...labelValuesIn(expr.replace(/job=~"[^"]*"/g, ''), 'job')]));
  expect(jobs.size).toBeGreaterThan(0);
  expect([...jobs].filter((job) => !services.includes(job))).toEqual([]);
});
