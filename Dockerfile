# shopd in one small image: build on Debian 12, run on Debian 12 slim as a non-root user.
#   docker build -t shopd .
#   docker run -p 8080:8080 -v shop-data:/data shopd            (add --demo for a demo catalog)
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libboost1.81-dev libsqlite3-dev nlohmann-json3-dev \
      libfmt-dev libsodium-dev libcli11-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY include include
COPY src src
COPY modules modules
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSHOP_TESTS=OFF \
 && cmake --build build --target shopd \
 && strip build/src/shopd

FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsqlite3-0 libsodium23 libfmt9 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin shopd \
 && mkdir -p /data /etc/shopd && chown shopd:shopd /data
COPY --from=build /src/build/src/shopd /usr/local/bin/shopd
COPY config/shopd.json /etc/shopd/shopd.json
USER shopd
WORKDIR /data
ENV SHOPD_DB=/data/shopd.db
VOLUME ["/data"]
EXPOSE 8080
# No curl in the image: bash's /dev/tcp is enough to ask /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["shopd", "serve", "--config", "/etc/shopd/shopd.json"]
