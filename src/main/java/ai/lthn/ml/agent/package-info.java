/**
 * The checkpoint agent (go-ml's {@code agent_*.go}): {@link ai.lthn.ml.agent.AgentConfig},
 * {@link ai.lthn.ml.agent.Checkpoint}, the adapter naming table ({@link
 * ai.lthn.ml.agent.AdapterMeta}) and checkpoint discovery over a {@link
 * ai.lthn.ml.transport.RemoteTransport} by one listing round trip ({@link
 * ai.lthn.ml.agent.CheckpointDiscovery}).
 */
package ai.lthn.ml.agent;
