# v1 helpers, imported as data.lib.pods.
package lib.pods

containers contains c if {
	some c in input.review.object.spec.containers
}

containers contains c if {
	some c in input.review.object.spec.initContainers
}

containers contains c if {
	some c in input.review.object.spec.ephemeralContainers
}

image_repo(image) := repo if {
	parts := split(image, "/")
	count(parts) > 1
	repo := concat("/", array.slice(parts, 0, count(parts) - 1))
} else := "docker.io"

is_exempt(container) if {
	some pattern in object.get(input, ["parameters", "exemptImages"], [])
	glob.match(pattern, [], container.image)
}
