"""A standard MQTT client for the tests: Eclipse Paho (Debian python3-paho-mqtt 1.6), as plants' scripts use it.

    paho_client.py PORT VERSION publish TOPIC PAYLOAD QOS    publish with an empty client id (the broker assigns one)
    paho_client.py PORT VERSION subscribe CLIENT_ID TOPIC    persistent session: subscribe at QoS 1, disconnect
    paho_client.py PORT VERSION receive CLIENT_ID TIMEOUT    resume that session, print the first message's payload

VERSION is 311 or 5. Exit code 0 on success; anything else is a failure, explained on stderr.
"""
import sys
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.packettypes import PacketTypes

TIMEOUT = 10


def client_for(version, client_id, persistent):
    if version == "5":
        return mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
    return mqtt.Client(client_id=client_id, clean_session=not persistent, protocol=mqtt.MQTTv311)


def connect(client, port, version, persistent):
    connected = threading.Event()
    outcome = {}

    def on_connect(_client, _userdata, flags, rc, _properties=None):
        outcome["rc"] = rc
        outcome["session_present"] = flags.get("session present", 0)
        connected.set()

    client.on_connect = on_connect
    if version == "5":
        properties = Properties(PacketTypes.CONNECT)
        if persistent:
            properties.SessionExpiryInterval = 3600
        client.connect("127.0.0.1", port, clean_start=not persistent, properties=properties)
    else:
        client.connect("127.0.0.1", port)
    client.loop_start()
    if not connected.wait(TIMEOUT) or outcome["rc"] != 0:
        fail(f"not connected: {outcome.get('rc')}")
    return outcome["session_present"]


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def main(port, version, mode, *args):
    port = int(port)
    if mode == "publish":
        topic, payload, qos = args
        client = client_for(version, "", persistent=False)
        connect(client, port, version, persistent=False)
        info = client.publish(topic, payload, qos=int(qos))
        info.wait_for_publish(TIMEOUT)
        if not info.is_published():
            fail("not acknowledged")
    elif mode == "subscribe":
        client_id, topic = args
        client = client_for(version, client_id, persistent=True)
        connect(client, port, version, persistent=True)
        subscribed = threading.Event()
        granted = []

        def on_subscribe(_client, _userdata, _mid, codes, _properties=None):
            granted.extend(int(getattr(code, "value", code)) for code in codes)
            subscribed.set()

        client.on_subscribe = on_subscribe
        client.subscribe(topic, qos=1)
        if not subscribed.wait(TIMEOUT) or granted[0] >= 0x80:
            fail(f"not subscribed: {granted}")
    elif mode == "receive":
        client_id, timeout = args
        received = threading.Event()
        messages = []

        def on_message(_client, _userdata, message):
            messages.append(message.payload.decode())
            received.set()

        client = client_for(version, client_id, persistent=True)
        client.on_message = on_message
        if not connect(client, port, version, persistent=True):
            fail("the session was not kept")
        if not received.wait(float(timeout)):
            fail("no message")
        print(messages[0])
    else:
        fail(f"unknown mode {mode}")
    client.disconnect()
    client.loop_stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
