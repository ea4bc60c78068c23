/**
 * Where results go: {@link ai.lthn.ml.store.InfluxClient} (InfluxDB v1 API, line protocol via
 * {@link ai.lthn.ml.store.Point}).
 */
package ai.lthn.ml.store;
