/**
 * Remote hosts for the checkpoint agent: {@link ai.lthn.ml.transport.RemoteTransport} and its SSH
 * implementation with checked host keys and quoted arguments.
 */
package ai.lthn.ml.transport;
