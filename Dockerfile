# shopd in one small image: build on Debian 12, run on Debian 12 slim as a non-root user.
#   docker build -t shopd .
#   docker run -p 8080:8080 -v shop-data:/data shopd            (add --demo for a demo catalog)
# Only debian:bookworm-slim is used, for both stages. See docs/deploy.md.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libboost1.81-dev libsqlite3-dev nlohmann-json3-dev \
      libfmt-dev libsodium-dev libcli11-dev libpq-dev libmimalloc-dev zlib1g-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY include include
COPY src src
COPY modules modules
COPY web web
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSHOP_TESTS=OFF \
 && cmake --build build --target shopd \
 && strip build/src/shopd
# The runtime stage installs exactly the Debian packages that own the shared libraries the
# binary links (libsqlite3-0, libsodium23, libfmt9, libpq5, ...), found with ldd + dpkg -S.
RUN for lib in $(ldd build/src/shopd | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do \
      real=$(readlink -f "$lib"); \
      dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || dpkg -S "/usr$real"; \
    done | cut -d: -f1 | sort -u > /runtime-packages \
 && echo "runtime packages: $(tr '\n' ' ' < /runtime-packages)"

FROM debian:bookworm-slim
COPY --from=build /runtime-packages /tmp/runtime-packages
# ca-certificates: the SMTP client verifies the mail server's certificate (STARTTLS, smtps://).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(cat /tmp/runtime-packages) \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log /tmp/runtime-packages \
 && groupadd --system --gid 10001 shopd \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin shopd \
 && mkdir -p /data /etc/shopd && chown shopd:shopd /data
COPY --from=build /src/build/src/shopd /usr/local/bin/shopd
COPY config/shopd.json /etc/shopd/shopd.json
USER 10001:10001
WORKDIR /data
# The database lives on the volume. Draining on SIGTERM is bounded well inside docker
# stop's default 10 s grace period (Kubernetes: terminationGracePeriodSeconds 15).
ENV SHOPD_DB=/data/shopd.db \
    SHOPD_DRAIN_TIMEOUT_MS=8000
VOLUME ["/data"]
EXPOSE 8080
# No curl in the image: bash's /dev/tcp asks /healthz on the configured port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SHOPD_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["shopd", "serve", "--config", "/etc/shopd/shopd.json"]
