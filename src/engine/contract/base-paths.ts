/** Sequence serves its API under /api; clients may also point at the bare host. */
export const BASE_PATHS = ['/api', '/'] as const;

/** "/api/customers?x=1" -> "/customers?x=1": journal filters and fault rules match either base path alike. */
export function withoutApi(path: string): string {
  return path.startsWith('/api/') || path === '/api' ? path.slice(4) || '/' : path;
}
