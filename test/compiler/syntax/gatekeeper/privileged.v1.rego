package k8spspprivileged

import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	some c in pods.containers
	not pods.is_exempt(c)
	c.securityContext.privileged
	details := {"container": c.name}
	msg := sprintf("Privileged container is not allowed: %v, securityContext: %v", [c.name, c.securityContext])
}

violation contains {"msg": msg} if {
	caps := {cap | some c in pods.containers; some cap in c.securityContext.capabilities.add}
	forbidden := caps & {"SYS_ADMIN", "NET_ADMIN", "ALL"}
	count(forbidden) > 0
	msg := sprintf("forbidden capabilities: %v", [sort(forbidden)])
}

all_non_root if {
	every c in pods.containers {
		c.securityContext.runAsNonRoot == true
	}
}

violation contains {"msg": "containers must run as non-root"} if {
	input.parameters.requireNonRoot
	not all_non_root
}

port_names := {name: port |
	some c in pods.containers
	some p in c.ports
	name := p.name
	port := p.containerPort
}

violation contains {"msg": msg} if {
	some name, port in port_names
	port < 1024
	msg := sprintf("port %v (%v) is privileged", [name, port])
}
