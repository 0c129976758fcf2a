# syntax=docker/dockerfile:1
# jiesu: build with Maven, run on a JRE only, as a non-root user, without embedded PostgreSQL.
#   docker build -t jiesu:0.1.0 .
#   docker run --rm -p 8080:8080 -e JIESU_DB_URL=postgresql://… -e JIESU_JWT_JWKS_URL=https://… jiesu:0.1.0

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
# dependencies in their own layer: a source change does not download them again
RUN mvn -B -q -Dproduction dependency:go-offline || true
COPY sql sql
COPY src src
# -Dproduction leaves the PostgreSQL binaries out of the jar (tests run in CI, not in the image build)
RUN mvn -B -q -Dproduction -DskipTests package \
 && ! jar tf target/jiesu.jar | grep -q postgres-linux

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 jiesu \
 && useradd --system --uid 10001 --gid jiesu --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin jiesu
COPY --from=build /build/target/jiesu.jar /opt/jiesu/jiesu.jar
# production mode: no self-made keys, no embedded database; the server refuses to start without
# JIESU_DB_URL and a key source (JIESU_JWT_JWKS or JIESU_JWT_JWKS_URL)
ENV JIESU_DEV_MODE=false \
    JIESU_DATA_DIR=/tmp/jiesu \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/jiesu/jiesu.jar"]
CMD ["serve"]
