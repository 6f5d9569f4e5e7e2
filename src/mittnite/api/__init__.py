"""The control API of ``mittnite up --api``: HTTP/1.1 and WebSocket over a unix socket.

One module per concern, none of them imported unless ``--api`` is given:

* :mod:`.address` - what ``--api-listen-address`` means (unix path or TCP address);
* :mod:`.listener` - the listening socket (stale-socket handling, owner-only modes);
* :mod:`.websocket` - a server-side WebSocket framed by ``wsproto``;
* :mod:`.routes` - which route a method and path name (pure);
* :mod:`.status` - the status document, byte-exact Go JSON by :mod:`mittnite.gojson` (pure);
* :mod:`.registry` - the jobs as the API sees them, over the supervisor's ``JobSet``;
* :mod:`.logs` - the lines of a job's output, from its files or its in-memory ring;
* :mod:`.handlers` - what each route answers;
* :mod:`.server` - all of the above put together, started and stopped by the supervisor.
"""
