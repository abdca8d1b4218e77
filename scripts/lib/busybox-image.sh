# The agent's busybox image for scripts/demo.sh and the agent and e2e benchmarks, built the way the agent's tests build it
# (tests/ProviderAgent.Tests/Support/TestImages.cs): Debian's static /bin/busybox, one symlink per
# applet, a `nobody` user, written as a `docker save` tarball that `provider-agent image import` reads.

# build_busybox_image OUT_TARBALL [REPO_TAG (default busybox:latest)]
build_busybox_image() {
  local out="$1" tag="${2:-busybox:latest}" work
  work=$(mktemp -d)
  local rootfs="$work/rootfs"
  mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,etc}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  chmod 755 "$rootfs/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"

  local image="$work/image"
  mkdir -p "$image"
  tar -C "$rootfs" --owner=0 --group=0 --numeric-owner -cf "$work/layer.tar" bin etc proc sys dev tmp
  local layer_id diff_id config config_id
  diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  layer_id="$diff_id"
  mkdir -p "$image/$layer_id"
  mv "$work/layer.tar" "$image/$layer_id/layer.tar"
  config='{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:'"$diff_id"'"]}}'
  config_id=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
  printf '%s' "$config" >"$image/$config_id.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config_id" "$tag" "$layer_id" >"$image/manifest.json"
  tar -C "$image" -cf "$out" manifest.json "$config_id.json" "$layer_id"
  rm -rf "$work"
}
