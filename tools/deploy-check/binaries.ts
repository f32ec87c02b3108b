/** Finds the external tools the deploy checks need; tests skip, with a message, when one is missing. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const DEPLOY_TOOLS = {
  kubectl: 'FACEX_KUBECTL',
  promtool: 'FACEX_PROMTOOL',
  prometheus: 'FACEX_PROMETHEUS',
} as const;
export type DeployTool = keyof typeof DEPLOY_TOOLS;

/** The Debian packages that provide them (CI installs these). */
export const DEBIAN_PACKAGES: Record<DeployTool, string> = { kubectl: 'kubernetes-client', promtool: 'prometheus', prometheus: 'prometheus' };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tool's path: $FACEX_<TOOL> when set (e.g. a second kubectl version), else the first on PATH. */
export function findTool(tool: DeployTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[DEPLOY_TOOLS[tool]];
  if (override) return isExecutable(override) ? override : undefined;
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

export function missingToolMessage(tool: DeployTool): string {
  return `${tool} not found (set ${DEPLOY_TOOLS[tool]} or apt-get install -y ${DEBIAN_PACKAGES[tool]}): skipped`;
}
