package io.callpulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void createsTopicsWithTheirPartitionsAndCarriesRecordsInOrder() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(List.of("t1"), 3);
            // creating an existing topic again is not an error
            broker.createTopics(List.of("t1"), 3);
            try (Admin admin = broker.admin()) {
                assertThat(
                                admin.describeTopics(List.of("t1"))
                                        .allTopicNames()
                                        .get()
                                        .get("t1")
                                        .partitions())
                        .hasSize(3);
            }

            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (var producer =
                    new KafkaProducer<>(
                            producerProps, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("t1", 1, "k", "v" + i)).get();
                }
            }

            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            List<String> values = new ArrayList<>();
            try (var consumer =
                    new KafkaConsumer<>(
                            consumerProps, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("t1", 1);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.currentTimeMillis() + 10_000;
                while (values.size() < 5 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4");
        }
    }

    @Test
    void appliesOverriddenSettings() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of("num.partitions", "4"));
                Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("t2", Optional.empty(), Optional.empty())))
                    .all()
                    .get();
            // the controller has created it; the broker may learn of it a moment later
            org.apache.kafka.clients.admin.TopicDescription described = null;
            long deadline = System.currentTimeMillis() + 10_000;
            while (described == null) {
                try {
                    described = admin.describeTopics(List.of("t2")).allTopicNames().get().get("t2");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause()
                                    instanceof
                                    org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                            || System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
            assertThat(described.partitions()).hasSize(4);
        }
    }
}
