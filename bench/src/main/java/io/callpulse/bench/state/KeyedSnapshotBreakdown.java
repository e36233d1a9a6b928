package io.callpulse.bench.state;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.BackendStateType;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.CommonSerializerKeys;

/**
 * Where the bytes of a hashmap state backend's keyed snapshot go, read back from the snapshot
 * itself: the header (the states' names and serializer snapshots), then per key group its id and,
 * per state, its id, its entry count and its entries. A value or map state's entry is namespace,
 * key and value; a timer queue's entry is the timer (timestamp, key, namespace). Each entry is
 * deserialised with the serializer restored from the snapshot's own header, so the bytes counted
 * are exactly the bytes written, and a format this does not understand fails instead of
 * miscounting.
 */
public final class KeyedSnapshotBreakdown {

    /** The bytes of one state in the snapshot. */
    public static final class StateBytes {
        public final String name;
        public final boolean timers;
        public long entries;

        /** Namespace and key bytes of value and map state entries (timers: 0). */
        public long keyBytes;

        /** Value bytes, or whole timer entries. */
        public long valueBytes;

        /** The state's id and entry count in every key group. */
        public long framingBytes;

        StateBytes(String name, boolean timers) {
            this.name = name;
            this.timers = timers;
        }

        public long total() {
            return keyBytes + valueBytes + framingBytes;
        }
    }

    /** Every byte of the snapshot, in its handle's size. */
    public final long snapshotBytes;

    /** The header: key serializer and the states' names and serializer snapshots. */
    public final long headerBytes;

    /** The key group ids. */
    public final long keyGroupBytes;

    /** Per state, in the header's order. */
    public final List<StateBytes> states;

    private KeyedSnapshotBreakdown(
            long snapshotBytes, long headerBytes, long keyGroupBytes, List<StateBytes> states) {
        this.snapshotBytes = snapshotBytes;
        this.headerBytes = headerBytes;
        this.keyGroupBytes = keyGroupBytes;
        this.states = states;
    }

    /** The sum of what the breakdown attributes; equals {@link #snapshotBytes} when complete. */
    public long attributedBytes() {
        long sum = headerBytes + keyGroupBytes;
        for (StateBytes state : states) {
            sum += state.total();
        }
        return sum;
    }

    public Map<String, StateBytes> byName() {
        Map<String, StateBytes> byName = new LinkedHashMap<>();
        for (StateBytes state : states) {
            byName.put(state.name, state);
        }
        return byName;
    }

    /** Reads a keyed snapshot written by the hashmap state backend without compression. */
    public static KeyedSnapshotBreakdown of(KeyedStateHandle handle, ClassLoader classLoader)
            throws IOException {
        if (!(handle instanceof KeyGroupsStateHandle keyGroups)) {
            throw new IllegalArgumentException(
                    "keyed state handle: expected the hashmap backend's KeyGroupsStateHandle, found"
                            + " "
                            + handle.getClass().getName());
        }
        byte[] bytes;
        try (InputStream in = keyGroups.openInputStream()) {
            bytes = in.readAllBytes();
        }
        if (bytes.length != keyGroups.getStateSize()) {
            throw new IllegalStateException(
                    "snapshot: read "
                            + bytes.length
                            + " bytes, its handle says "
                            + keyGroups.getStateSize());
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        KeyedBackendSerializationProxy<Object> header =
                new KeyedBackendSerializationProxy<>(classLoader);
        header.read(in);
        if (header.isUsingKeyGroupCompression()) {
            throw new IllegalArgumentException(
                    "snapshot: compressed key groups are not supported here");
        }
        TypeSerializer<?> keySerializer = header.getKeySerializerSnapshot().restoreSerializer();
        List<StateBytes> states = new ArrayList<>();
        List<TypeSerializer<?>> namespaceSerializers = new ArrayList<>();
        List<TypeSerializer<?>> valueSerializers = new ArrayList<>();
        for (StateMetaInfoSnapshot meta : header.getStateMetaInfoSnapshots()) {
            boolean timers = meta.getBackendStateType() == BackendStateType.PRIORITY_QUEUE;
            states.add(new StateBytes(meta.getName(), timers));
            valueSerializers.add(
                    meta.getTypeSerializerSnapshot(CommonSerializerKeys.VALUE_SERIALIZER)
                            .restoreSerializer());
            namespaceSerializers.add(
                    timers
                            ? null
                            : meta.getTypeSerializerSnapshot(
                                            CommonSerializerKeys.NAMESPACE_SERIALIZER)
                                    .restoreSerializer());
        }
        long headerBytes = in.getPosition();
        long keyGroupBytes = 0;
        KeyGroupRange range = keyGroups.getKeyGroupRange();
        for (int keyGroup : range) {
            long offset = keyGroups.getOffsetForKeyGroup(keyGroup);
            if (offset != in.getPosition()) {
                throw new IllegalStateException(
                        "key group "
                                + keyGroup
                                + ": expected at byte "
                                + in.getPosition()
                                + ", its offset says "
                                + offset);
            }
            int id = in.readInt();
            if (id != keyGroup) {
                throw new IllegalStateException(
                        "key group: expected " + keyGroup + " at byte " + offset + ", found " + id);
            }
            keyGroupBytes += Integer.BYTES;
            for (int s = 0; s < states.size(); s++) {
                int stateId = in.readShort();
                StateBytes state = states.get(stateId);
                int count = in.readInt();
                state.framingBytes += Short.BYTES + Integer.BYTES;
                state.entries += count;
                for (int e = 0; e < count; e++) {
                    int start = in.getPosition();
                    if (state.timers) {
                        valueSerializers.get(stateId).deserialize(in);
                        state.valueBytes += in.getPosition() - start;
                    } else {
                        namespaceSerializers.get(stateId).deserialize(in);
                        keySerializer.deserialize(in);
                        int valueStart = in.getPosition();
                        valueSerializers.get(stateId).deserialize(in);
                        state.keyBytes += valueStart - start;
                        state.valueBytes += in.getPosition() - valueStart;
                    }
                }
            }
        }
        if (in.available() != 0) {
            throw new IllegalStateException(
                    "snapshot: " + in.available() + " bytes left after the last key group");
        }
        return new KeyedSnapshotBreakdown(bytes.length, headerBytes, keyGroupBytes, states);
    }
}
