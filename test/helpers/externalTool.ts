import { execFileSync } from 'node:child_process';

/**
 * Path of a system program (redis-server, chromium) or null. Tests that need one skip on a
 * developer machine without it, but fail under CI=true: .ci/run installs them, so a missing
 * one there is a broken CI script, not a reason to pass silently.
 */
export function findTool(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const inCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';
