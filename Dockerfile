# weekmap serve in a container: a static binary on distroless/static (CA
# certificates and time zones, no shell), run as a non-root user, with the
# config, store and tokens in the /data volume.
#
#   docker build -t weekmap .
#   docker run -d --name weekmap -p 127.0.0.1:9464:9464 -v weekmap-data:/data weekmap
#
# /data/weekmap.yaml is the config; paths in it are relative to /data.
# README, "Running it as a service", has the details.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/weekmap ./cmd/weekmap

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/weekmap /usr/local/bin/weekmap
USER nonroot:nonroot
WORKDIR /data
VOLUME /data
EXPOSE 9464
# Inside the container serve must listen on every interface for -p to
# reach it; publish the port on 127.0.0.1 (as above) or set
# server.web_config_file or server.auth_token_file: serve warns otherwise.
ENTRYPOINT ["/usr/local/bin/weekmap", "--config", "/data/weekmap.yaml"]
CMD ["serve", "--addr", "0.0.0.0:9464"]
