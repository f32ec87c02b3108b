/**
 * Which kubernetes-models class validates an object: core and built-in groups from `kubernetes-models`, the
 * KEDA and prometheus-operator CRDs from their generated packages. An apiVersion with no model is refused
 * (fail closed) rather than passed unchecked.
 */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** Built-in API groups whose objects this project renders. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'autoscaling', 'policy', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io']);

/** The module that exports the class named `kind` for `apiVersion`, or undefined when none is known. */
export function modelModuleFor(apiVersion: string, kind: string): string | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind) || !/^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$/.test(version)) return undefined;
  if (BUILT_IN_GROUPS.has(group)) return group === '' ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  const crdPackage = CRD_PACKAGES[group];
  return crdPackage ? `${crdPackage}/${group}/${version}/${kind}` : undefined;
}
