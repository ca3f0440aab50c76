/** Snapshot serializer: replaces asset hashes (64 hex characters) so snapshots survive asset rebuilds. */
const ASSET_HASH = /[0-9a-f]{64}/g;

module.exports = {
  test: (value: unknown) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  print: (value: unknown) => `"${String(value).replace(ASSET_HASH, '<asset-hash>')}"`,
};
