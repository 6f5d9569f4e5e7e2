# Recipe 2: add the static executable to any image (no Python needed in it). Build it
# first, on any x86-64 Linux machine with Debian's musl-tools:
#   make standalone          # -> dist/mittnite (+ dist/mittnitectl, dist/mittnite.tar.gz)
# then, from the repository root:
#   docker build -f examples/docker/Dockerfile.app -t my-app .
# The same file runs on Debian/Ubuntu/RHEL (glibc), Alpine (musl, see
# Dockerfile.alpine) and in an empty image (Dockerfile.scratch).
FROM node:20-bookworm-slim

COPY dist/mittnite /usr/bin/mittnite
RUN ln -s mittnite /usr/bin/mittnitectl
COPY examples/quickstart/mittnite.d/ /etc/mittnite.d/

ENTRYPOINT ["/usr/bin/mittnite"]
CMD ["up", "--config-dir", "/etc/mittnite.d"]
