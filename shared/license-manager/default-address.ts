/**
 * Where the local Guardant license manager listens unless the operator says otherwise
 * (docs/license-manager-api.md). Both station hosts start a real bench against it by default.
 */
export const DEFAULT_LICENSE_MANAGER_URL = 'http://127.0.0.1:3189';
