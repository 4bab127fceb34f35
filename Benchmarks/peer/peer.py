#!/usr/bin/env python3
"""Vigil's Python peer: read a Contec CMS50 (protocol V7) on a serial port, store every reading
in SQLite, alarm on low SpO2 over MQTT. The plain script a clinic's engineer would write, kept
for benchmarks against Vigil.

  python3 peer.py --port /dev/pts/N --db FILE.sqlite --mqtt 127.0.0.1:PORT --topic TOPIC [--spo2-low 85]

The decoder (V7Decoder) can be imported on its own: `from peer import V7Decoder`.
"""
import argparse
import json
import signal
import sqlite3
import sys
import time

# Whole packet length by type byte (V7.0 PDF table 2, as in Vigil's ContecV7Decoder).
LENGTHS = {0x01: 9, 0x02: 9, 0x03: 9, 0x04: 9, 0x05: 9, 0x06: 4, 0x07: 8, 0x08: 8, 0x09: 6, 0x0A: 4,
           0x0B: 4, 0x0C: 2, 0x0D: 3, 0x0E: 3, 0x0F: 8, 0x10: 3, 0x11: 9, 0x12: 8, 0x13: 9, 0x14: 9, 0x15: 9}
# Values outside these are corrupt frames, not readings (Vigil's PhysiologicalRange).
RANGES = {"spo2": (30, 100), "pulse_rate": (20, 300), "perfusion_index": (0, 30)}
POOR_SIGNAL_AT_OR_BELOW = 2  # signal strength 0..8; at or below, values are "poor_signal"


def command(code):
    """A host command: 7D 81 cc, then six unused argument bytes sent as 0x80."""
    return bytes([0x7D, 0x81, code, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80])


START, KEEP_ALIVE = command(0xA1), command(0xAF)


def realtime(raw):
    """A 0x01 packet (9 wire bytes) -> [(vital, value, quality)], or None if it is malformed."""
    hi = raw[1]
    b2, b3, b4, pr, spo2, pi_lo, pi_hi = [(raw[i] & 0x7F) | (((hi >> (i - 2)) & 1) << 7) for i in range(2, 9)]
    if b4 & 0xE0 or (b2 & 0x0F) > 8:  # reserved bits set, or signal strength above 8
        return None
    if b2 & 0x80:
        quality = "sensor_off"  # probe error: finger out
    elif b2 & 0x10 or b3 & 0x80:
        quality = "searching"  # searching too long / searching pulse
    elif (b2 & 0x0F) <= POOR_SIGNAL_AT_OR_BELOW:
        quality = "poor_signal"
    else:
        quality = "valid"
    out = []
    for vital, value in (("spo2", None if spo2 in (0, 0x7F) else spo2), ("pulse_rate", None if pr in (0, 0xFF) else pr)):
        if quality not in ("valid", "poor_signal"):
            out.append((vital, None, quality))
        else:  # a sentinel in a good-looking frame still means "no value"
            out.append((vital, value, "searching" if value is None else quality))
    pi = pi_lo | pi_hi << 8
    if not b4 & 0x10 and pi != 0xFFFF and quality == "valid":
        out.append(("perfusion_index", pi / 100, "valid"))
    for vital, value, q in out:
        if q in ("valid", "poor_signal") and value and not RANGES[vital][0] <= value <= RANGES[vital][1]:
            return None
    return out


class V7Decoder:
    """Bytes in, one list of readings per accepted packet out (an empty list for packets that
    carry no vitals). Counts accepted packets, rejected packets and skipped bytes."""

    def __init__(self):
        self.buf = bytearray()
        self.frames = self.rejected = self.skipped = 0

    def feed(self, data):
        buf = self.buf
        buf += data
        out, i = [], 0
        while i < len(buf):
            length = LENGTHS.get(buf[i]) if buf[i] < 0x80 else None
            if length is None:  # not a type byte: resync on the next byte with bit 7 clear
                self.skipped += 1
                i += 1
                continue
            if len(buf) - i < length:
                break
            bad = next((k for k in range(1, length) if buf[i + k] < 0x80), None)
            if bad is not None:  # a byte after the type without bit 7: a cut packet
                self.rejected += 1
                i += bad
                continue
            raw = buf[i:i + length]
            i += length
            readings = realtime(raw) if raw[0] == 0x01 else []
            if readings is None:
                self.rejected += 1
                continue
            self.frames += 1
            out.append(readings)
        del buf[:i]
        return out


def main():
    import serial
    import paho.mqtt.client as mqtt

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--mqtt", required=True, help="HOST:PORT")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--spo2-low", type=float, default=85)
    args = ap.parse_args()

    db = sqlite3.connect(args.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS readings (time REAL, vital TEXT, value REAL, quality TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS alarms (time REAL, condition TEXT, state TEXT, value REAL)")
    db.commit()

    host, port = args.mqtt.rsplit(":", 1)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="vigil-peer")
    client.connect(host, int(port))
    client.loop_start()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    def alarm(state, value):
        db.execute("INSERT INTO alarms VALUES (?, 'spo2_low', ?, ?)", (time.time(), state, value))
        db.commit()
        payload = json.dumps({"condition": "spo2_low", "state": state, "value": value}, separators=(",", ":"))
        client.publish(args.topic, payload, qos=1)
        print(f"ALARM {state} spo2_low {value}", flush=True)

    ser = serial.Serial(args.port, 115200, bytesize=8, parity="N", stopbits=1, timeout=0.1,
                        xonxoff=False, rtscts=False, dsrdtr=False)
    decoder, alarming = V7Decoder(), False
    ser.write(START)  # start real-time data
    last_start = last_keep_alive = last_commit = time.monotonic()
    try:
        while not stop:
            data = ser.read(ser.in_waiting or 1)
            now = time.monotonic()
            if now - last_start >= 15:  # the CMS50D+ stops streaming 30 s after the last start
                ser.write(START)
                last_start = now
            if now - last_keep_alive >= 5:  # "inform device being connected", every 5 s
                ser.write(KEEP_ALIVE)
                last_keep_alive = now
            wall = time.time()
            for frame in decoder.feed(data):
                db.executemany("INSERT INTO readings VALUES (?, ?, ?, ?)", [(wall, v, x, q) for v, x, q in frame])
                if frame and frame[0][2] == "valid" and frame[0][1] is not None:  # spo2, valid signal
                    spo2 = frame[0][1]
                    if not alarming and spo2 < args.spo2_low:
                        alarming = True
                        alarm("raised", spo2)
                    elif alarming and spo2 >= args.spo2_low:
                        alarming = False
                        alarm("cleared", spo2)
            if now - last_commit >= 0.25:
                db.commit()
                last_commit = now
    finally:
        db.commit()
        print(f"peer: frames {decoder.frames} rejected {decoder.rejected}", flush=True)
        client.disconnect()
        client.loop_stop()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
