# Recipe 2: add the standalone executable to any glibc-based image (no Python
# needed in the image). Build the executable first:
#   sh packaging/build-standalone.sh          # -> dist/mittnite (+ dist/mittnitectl)
# then, from the repository root:
#   docker build -f examples/docker/Dockerfile.app -t my-app .
FROM node:20-bookworm-slim

COPY dist/mittnite /usr/bin/mittnite
RUN ln -s mittnite /usr/bin/mittnitectl
COPY examples/quickstart/mittnite.d/ /etc/mittnite.d/

ENTRYPOINT ["/usr/bin/mittnite"]
CMD ["up", "--config-dir", "/etc/mittnite.d"]
