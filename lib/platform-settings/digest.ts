/**
 * The digest of a platform settings document: the platform publishes it in SSM, and a service stack
 * that imports the platform by name asserts at deploy time that its copy has the same one (a
 * CloudFormation rule, as the CDK's bootstrap-version check does), so a stale copy fails the deploy
 * before any resource changes. Pure: no CDK.
 */
import { createHash } from 'node:crypto';
import type { PlatformSettings } from './settings';

/**
 * SHA-256 of the document as JSON (the order of its fields as written, which reading the file
 * keeps), in hex. Equal for the settings the platform generates and for a faithful copy of its file.
 */
export function platformSettingsDigest(settings: PlatformSettings): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex');
}
