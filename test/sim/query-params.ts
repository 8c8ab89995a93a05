/**
 * A boolean query parameter as apimachinery converts it (Convert_Slice_string_To_bool in
 * staging/src/k8s.io/apimachinery/pkg/runtime/conversion.go): absent → false; the first value
 * `0` or `false` (any case) → false; anything else, the empty string included (`?watch`) → true.
 * The API server's options (watch, allowWatchBookmarks, exec's stdout…) and the kubelet's log
 * options are all parsed this way.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}
