package dev.vitrine.jobs;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores job data as JSON (readable with psql, searchable by the monitor) instead of Java
 * serialization.
 */
class JsonSerializer implements Serializer {

	private final JsonMapper json;

	JsonSerializer(JsonMapper json) {
		this.json = json;
	}

	@Override
	public byte[] serialize(Object data) {
		return this.json.writeValueAsBytes(data);
	}

	@Override
	public <T> T deserialize(Class<T> type, byte[] serialized) {
		return (serialized != null) ? this.json.readValue(serialized, type) : null;
	}

}
