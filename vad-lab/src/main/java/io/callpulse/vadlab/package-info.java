/** VAD lab: training, benchmark and microbenchmarks for {@code io.callpulse.udf.vad}. */
package io.callpulse.vadlab;
