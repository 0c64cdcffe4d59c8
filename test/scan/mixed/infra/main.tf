variable "app_image" {
  type = string
}

variable "worker_cpu" {
  type    = string
  default = "250m"
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        host_ipc = true
        container {
          name  = "app"
          image = var.app_image
          resources {
            limits = { cpu = "500m" }
          }
        }
        container {
          name  = "sidecar"
          image = "busybox"
          security_context {
            privileged = true
          }
          resources {
            limits = { cpu = "100m" }
          }
        }
      }
    }
  }
}

resource "kubernetes_pod_v1" "worker" {
  count = 2
  metadata {
    name      = "worker"
    namespace = "shop"
  }
  spec {
    container {
      name  = "worker"
      image = "worker:1.4"
      resources {
        limits = { cpu = var.worker_cpu }
      }
    }
  }
}

resource "kubernetes_config_map_v1" "settings" {
  metadata {
    name      = "settings"
    namespace = "shop"
  }
  data = { mode = "fast" }
}
