/**
 * What the issue asks of the rendered manifests, checked on the objects of one overlay (pure: objects in,
 * problems out). The schema validation says the objects are well-formed; these say they do the right thing.
 */
import type { QueueTier } from '@facex/contracts';
import { QUEUE_NAMES } from '@facex/queue';
import { field, findObject, objectRef, objectsOfKind, type K8sObject } from './manifests';

/**
 * Upper bounds, in seconds, of one job step (or request) per tier; the grace period must outlast them plus
 * the preStop delay. Gateway: a 50 MP upload; webhook worker: one delivery (WEBHOOK_TIMEOUT_MS); extractor: FORD on a 50 MP photo on two cores; diffusion: a
 * 150-step render at full batch on one GPU; video: one 2 s chunk of 1080p at 60 fps with its warm-up.
 */
export const LONGEST_STEP_SECONDS: Readonly<Record<string, number>> = {
  'facex-gateway': 45,
  'facex-webhook-worker': 10,
  'facex-extractor-worker': 90,
  'facex-diffusion-worker': 240,
  'facex-video-worker': 240,
};
const PRESTOP_MARGIN_SECONDS = 10;

export const CPU_AUTOSCALED = ['facex-gateway', 'facex-webhook-worker', 'facex-extractor-worker'] as const;
export const GPU_DEPLOYMENT = 'facex-diffusion-worker';
/** Deployments KEDA scales on their queue (down to zero), with the tier whose queue it reads. */
export const QUEUE_SCALED: ReadonlyArray<{ deployment: string; tier: QueueTier }> = [
  { deployment: GPU_DEPLOYMENT, tier: 'gpu' },
  { deployment: 'facex-video-worker', tier: 'video' },
];
export const REDIS = 'facex-redis';
export const GATEWAY = 'facex-gateway';
/** The gateway's default FACEX_VIDEO_MAX_BYTES: its upload directory holds at least one such upload. */
export const MAX_VIDEO_UPLOAD_BYTES = 200 * 1024 * 1024;
export const GPU_RESOURCE = 'nvidia.com/gpu';

interface Container {
  name: string;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }>;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  args?: string[];
}

function containersOf(object: K8sObject): Container[] {
  return (field(object, 'spec.template.spec.containers') as Container[] | undefined) ?? [];
}

function labelsMatch(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const wanted = (field(selector, 'matchLabels') as Record<string, string> | undefined) ?? {};
  return Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
}

function checkDeployment(deployment: K8sObject, objects: readonly K8sObject[]): string[] {
  const ref = objectRef(deployment);
  const problems: string[] = [];
  const podLabels = field(deployment, 'spec.template.metadata.labels') as Record<string, string> | undefined;
  for (const container of containersOf(deployment)) {
    const where = `${ref} container ${container.name}`;
    if (!container.resources?.requests?.['cpu'] || !container.resources.requests['memory']) problems.push(`${where}: no cpu/memory requests`);
    if (!container.resources?.limits?.['memory']) problems.push(`${where}: no memory limit`);
    if (field(container, 'livenessProbe.httpGet.path') !== '/healthz') problems.push(`${where}: liveness probe is not GET /healthz`);
    if (field(container, 'readinessProbe.httpGet.path') !== '/readyz') problems.push(`${where}: readiness probe is not GET /readyz`);
    for (const variable of container.env ?? []) {
      if (/PASSWORD|SECRET|ACCESS_KEY/.test(variable.name) && variable.value !== undefined)
        problems.push(`${where}: ${variable.name} has a literal value, not a secretKeyRef`);
    }
  }
  const grace = field(deployment, 'spec.template.spec.terminationGracePeriodSeconds');
  const needed = (LONGEST_STEP_SECONDS[deployment.metadata.name] ?? 0) + PRESTOP_MARGIN_SECONDS;
  if (typeof grace !== 'number' || grace < needed) problems.push(`${ref}: terminationGracePeriodSeconds ${String(grace)} < ${needed} (longest step + preStop)`);
  if (field(deployment, 'spec.template.spec.securityContext.runAsNonRoot') !== true) problems.push(`${ref}: pods may run as root`);
  if (field(deployment, 'spec.replicas') !== undefined) problems.push(`${ref}: sets replicas, which fights its autoscaler`);
  const budgets = objectsOfKind(objects, 'PodDisruptionBudget').filter((budget) => labelsMatch(field(budget, 'spec.selector'), podLabels));
  if (budgets.length === 0) problems.push(`${ref}: no PodDisruptionBudget selects its pods`);
  return problems;
}

function checkCpuAutoscaler(name: string, objects: readonly K8sObject[]): string[] {
  const hpa = objectsOfKind(objects, 'HorizontalPodAutoscaler').find((candidate) => field(candidate, 'spec.scaleTargetRef.name') === name);
  if (!hpa) return [`Deployment/${name}: no HorizontalPodAutoscaler`];
  const metrics = (field(hpa, 'spec.metrics') as unknown[] | undefined) ?? [];
  const onCpu = metrics.some((metric) => field(metric, 'resource.name') === 'cpu');
  return onCpu ? [] : [`${objectRef(hpa)}: does not scale on cpu`];
}

function checkGpuPlacement(deployment: K8sObject): string[] {
  const ref = objectRef(deployment);
  const problems: string[] = [];
  const selector = field(deployment, 'spec.template.spec.nodeSelector') as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) problems.push(`${ref}: no GPU node selector`);
  const tolerations = (field(deployment, 'spec.template.spec.tolerations') as Array<{ key?: string }> | undefined) ?? [];
  if (!tolerations.some((toleration) => toleration.key === GPU_RESOURCE)) problems.push(`${ref}: no toleration for ${GPU_RESOURCE}`);
  if (!containersOf(deployment).some((container) => container.resources?.limits?.[GPU_RESOURCE] !== undefined))
    problems.push(`${ref}: requests no ${GPU_RESOURCE}`);
  return problems;
}

/** The FACEX_QUEUE_PREFIX the workers get (the generated facex-config ConfigMap). */
export function queuePrefixOf(objects: readonly K8sObject[]): string | undefined {
  const config = objectsOfKind(objects, 'ConfigMap').find((map) => map.metadata.name.startsWith('facex-config'));
  return field(config, 'data.FACEX_QUEUE_PREFIX') as string | undefined;
}

/** The Redis list in which BullMQ keeps a queue's jobs in one state (`wait`, `active`); pinned by bullmq-keys.spec.ts. */
export function bullmqListKey(prefix: string, queueName: string, list: 'wait' | 'active'): string {
  return `${prefix}:${queueName}:${list}`;
}

function checkQueueScaler(objects: readonly K8sObject[], deployment: string, tier: QueueTier): string[] {
  const scaled = objectsOfKind(objects, 'ScaledObject').find((object) => field(object, 'spec.scaleTargetRef.name') === deployment);
  if (!scaled) return [`Deployment/${deployment}: no KEDA ScaledObject`];
  const ref = objectRef(scaled);
  const problems: string[] = [];
  if (field(scaled, 'spec.minReplicaCount') !== 0) problems.push(`${ref}: minReplicaCount is not 0 (no scale to zero)`);
  const prefix = queuePrefixOf(objects);
  if (!prefix) return [`${ref}: facex-config has no FACEX_QUEUE_PREFIX`];
  const waitList = bullmqListKey(prefix, QUEUE_NAMES[tier], 'wait');
  const triggers = (field(scaled, 'spec.triggers') as unknown[] | undefined) ?? [];
  const redisTriggers = triggers.filter((trigger) => field(trigger, 'type') === 'redis');
  if (!redisTriggers.some((trigger) => field(trigger, 'metadata.listName') === waitList)) problems.push(`${ref}: no redis trigger on ${waitList}`);
  const redisHost = `${REDIS}.${scaled.metadata.namespace ?? 'default'}.svc.cluster.local:6379`;
  for (const trigger of redisTriggers) {
    const address = field(trigger, 'metadata.address');
    if (address !== redisHost) problems.push(`${ref}: trigger address ${String(address)} is not ${redisHost}`);
    const auth = field(trigger, 'authenticationRef.name');
    if (typeof auth !== 'string' || !findObject(objects, 'TriggerAuthentication', auth))
      problems.push(`${ref}: trigger authenticationRef ${String(auth)} does not exist`);
  }
  return problems;
}

function checkRedis(objects: readonly K8sObject[]): string[] {
  const redis = findObject(objects, 'StatefulSet', REDIS);
  if (!redis) return [`StatefulSet/${REDIS}: missing`];
  const args = containersOf(redis)[0]?.args ?? [];
  const option = (name: string): string | undefined => {
    const index = args.indexOf(`--${name}`);
    return index < 0 ? undefined : args[index + 1];
  };
  const problems: string[] = [];
  if (option('appendonly') !== 'yes') problems.push(`StatefulSet/${REDIS}: AOF persistence is off`);
  if (option('maxmemory-policy') !== 'noeviction') problems.push(`StatefulSet/${REDIS}: maxmemory-policy is not noeviction`);
  if (((field(redis, 'spec.volumeClaimTemplates') as unknown[] | undefined) ?? []).length === 0) problems.push(`StatefulSet/${REDIS}: no persistent volume`);
  return problems;
}

function checkScraping(objects: readonly K8sObject[]): string[] {
  const monitors = objectsOfKind(objects, 'ServiceMonitor');
  if (monitors.length === 0) return ['no ServiceMonitor'];
  const problems: string[] = [];
  for (const service of objectsOfKind(objects, 'Service').filter((candidate) => candidate.metadata.name !== REDIS)) {
    const ports = (field(service, 'spec.ports') as Array<{ name?: string }> | undefined) ?? [];
    if (!ports.some((port) => port.name === 'metrics')) problems.push(`${objectRef(service)}: no port named metrics`);
    if (!monitors.some((monitor) => labelsMatch(field(monitor, 'spec.selector'), service.metadata.labels)))
      problems.push(`${objectRef(service)}: no ServiceMonitor selects it`);
  }
  return problems;
}

const QUANTITY_UNITS: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** Bytes of a Kubernetes quantity (`2Gi`, `500M`, `1048576`); NaN when it is not one. */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  return match ? Number(match[1]) * QUANTITY_UNITS[match[2] ?? ''] : NaN;
}

/**
 * The gateway spools each upload to a file under FACEX_UPLOAD_DIR (default /tmp) on a read-only root: that
 * directory must be a writable emptyDir mount with room for at least one maximal video upload.
 */
function checkUploadSpool(objects: readonly K8sObject[]): string[] {
  const deployment = findObject(objects, 'Deployment', GATEWAY);
  const gateway = deployment && containersOf(deployment)[0];
  if (!deployment || !gateway) return [];
  const dir = gateway.env?.find((variable) => variable.name === 'FACEX_UPLOAD_DIR')?.value ?? '/tmp';
  const where = `${objectRef(deployment)} container ${gateway.name}`;
  const mount = gateway.volumeMounts?.find((candidate) => candidate.mountPath === dir);
  if (!mount || mount.readOnly) return [`${where}: the upload directory ${dir} is not a writable volume mount`];
  const volumes = (field(deployment, 'spec.template.spec.volumes') as Array<{ name: string; emptyDir?: { sizeLimit?: string } }> | undefined) ?? [];
  const sizeLimit = volumes.find((volume) => volume.name === mount.name)?.emptyDir?.sizeLimit;
  if (sizeLimit === undefined || !(quantityBytes(sizeLimit) >= MAX_VIDEO_UPLOAD_BYTES))
    return [`${where}: the upload directory ${dir} needs an emptyDir with a sizeLimit of at least one video upload (200Mi), has ${sizeLimit ?? 'none'}`];
  return [];
}

/** Every problem found in one overlay's objects; empty when the overlay does what the issue asks. */
export function checkOverlay(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const name of [...CPU_AUTOSCALED, ...QUEUE_SCALED.map((scaled) => scaled.deployment)]) {
    const deployment = findObject(objects, 'Deployment', name);
    if (!deployment) {
      problems.push(`Deployment/${name}: missing`);
      continue;
    }
    problems.push(...checkDeployment(deployment, objects));
    if (name === GPU_DEPLOYMENT) problems.push(...checkGpuPlacement(deployment));
  }
  for (const name of CPU_AUTOSCALED) problems.push(...checkCpuAutoscaler(name, objects));
  for (const { deployment, tier } of QUEUE_SCALED) problems.push(...checkQueueScaler(objects, deployment, tier));
  problems.push(...checkRedis(objects), ...checkScraping(objects), ...checkUploadSpool(objects));
  for (const secret of objectsOfKind(objects, 'Secret')) problems.push(`${objectRef(secret)}: secrets are referenced, never rendered`);
  return problems;
}
