/**
 * Where results go: {@link ai.lthn.ml.store.InfluxClient} (InfluxDB v1 API, line protocol via
 * {@link ai.lthn.ml.store.Point}), with a durable {@link ai.lthn.ml.store.Outbox} behind
 * {@link ai.lthn.ml.store.BufferedInfluxWriter} so nothing accepted is lost while InfluxDB is down.
 */
package ai.lthn.ml.store;
