/** The two `node:path` functions the runners call (jaxjs.mjs finds its package.json), POSIX. */
export function dirname(p) {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export function join(...parts) {
  const out = [];
  for (const seg of parts.join('/').split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '' && seg !== '.') out.push(seg);
  }
  return `/${out.join('/')}`;
}

export default { dirname, join };
