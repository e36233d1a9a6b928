package io.callpulse.job.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

/**
 * A value through the serializer Flink picks for its type, with generic types (Kryo) disabled as in
 * the job, the way keyed state and records are checkpointed and shipped.
 */
public final class StateSerde {

    private StateSerde() {}

    public static <T> TypeSerializer<T> serializer(Class<T> type) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return TypeInformation.of(type).createSerializer(config);
    }

    public static <T> byte[] serialize(T value, Class<T> type) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer(type).serialize(value, new DataOutputViewStreamWrapper(bytes));
        return bytes.toByteArray();
    }

    public static <T> T deserialize(byte[] bytes, Class<T> type) throws IOException {
        return serializer(type)
                .deserialize(new DataInputViewStreamWrapper(new ByteArrayInputStream(bytes)));
    }

    public static <T> T roundTrip(T value, Class<T> type) throws IOException {
        return deserialize(serialize(value, type), type);
    }
}
