#!/usr/bin/env bash
# Builds TensorFlow Playground (github.com/tensorflow/playground) for bench/playground.ts, which
# measures its frame rate beside nabla's playground in the same headless Chromium. For the
# benchmark only: not run by CI or the tests, never a dependency of nabla.
#
#   bench/peers/tf-playground.sh [GIT_DIR] [OUT_DIR]
#
# GIT_DIR: a clone or bare mirror of the repository (default: the mirror the `fetch` tool leaves,
# /work/.mirror/tensorflow+playground/repo; or clone https://github.com/tensorflow/playground).
# OUT_DIR: where the checkout goes (default: $TMPDIR/nabla-tf-playground, outside the repository
# so that its sources stay out of our type check and lint); its built files end up in OUT_DIR/dist,
# which bench/playground.ts serves (set TF_PLAYGROUND_DIST if OUT_DIR is elsewhere).
#
# Its own tool chain (browserify + tsify + TypeScript 2.9 + uglify-js, from its package-lock.json)
# installs from the npm registry and builds as is: `npm ci` then `npm run build`.
set -euo pipefail
git_dir="${1:-/work/.mirror/tensorflow+playground/repo}"
out="${2:-${TMPDIR:-/tmp}/nabla-tf-playground}"
if [ ! -d "$git_dir" ]; then
  echo "tf-playground: no repository at $git_dir (clone github.com/tensorflow/playground)" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
git --git-dir="$git_dir" archive --format=tar HEAD | tar -x -C "$out"
git --git-dir="$git_dir" rev-parse HEAD > "$out/COMMIT"
cd "$out"
npm ci --no-audit --no-fund
mkdir -p dist
npm run build
echo "tf-playground: built $(cat COMMIT) into $out/dist"
