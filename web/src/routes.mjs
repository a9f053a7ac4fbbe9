// The site's pages are real folders (catalog/, event/<Name>/, checklist/ ...); before, they were
// hash routes of the validator page (#/catalog, #/event/<Name>, #/checklist/<code>). Links to the
// old routes still work: the validator page sends them on to the page that replaced them.
//
// legacy_target('#/checklist/payload.required') -> 'checklist/#payload.required' (from the site's
// root), or null when the hash is not an old route (or is the validator's own '#/').
const FOLDERS = new Set(['catalog', 'envelope', 'checklist', 'change-policy', 'compat', 'versions']);

export function legacy_target(hash) {
  if (typeof hash !== 'string' || !hash.startsWith('#/')) return null;
  let route;
  try {
    route = decodeURIComponent(hash.slice(2));
  } catch {
    return null;
  }
  const [name, ...rest] = route.split('/');
  const arg = rest.join('/');
  if (!name) return null;
  if ((name === 'event' || name === 'aggregate') && arg) return `${name}/${encodeURIComponent(arg)}/`;
  // Category anchors are lower-case slugs now (#/checklist/category-Envelope -> #category-envelope).
  if (name === 'checklist' && arg.startsWith('category-')) return `checklist/#category-${arg.slice(9).toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  if (name === 'checklist' && arg) return `checklist/#${encodeURIComponent(arg)}`;
  if (FOLDERS.has(name)) return `${name}/`;
  return null;
}
