package k8sallowedrepos

import data.lib.pods

violation contains {"msg": msg} if {
	some container in pods.containers
	not pods.is_exempt(container)
	not allowed(container.image)
	msg := sprintf("container <%v> has an invalid image repo <%v>, allowed repos are %v", [container.name, container.image, input.parameters.repos])
}

allowed(image) if {
	some repo in input.parameters.repos
	startswith(image, repo)
}

# Registries named by digest only must still come from an allowed repo.
digest_only contains container.name if {
	some container in pods.containers
	contains(container.image, "@sha256:")
	not contains(container.image, ":latest")
}
