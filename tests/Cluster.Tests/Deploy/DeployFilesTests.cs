using YamlDotNet.RepresentationModel;

namespace MesOrleans.Cluster.Tests.Deploy;

/// <summary>
/// The deployment files under <c>deploy/</c>, checked without Docker or Kubernetes (neither runs here): they parse,
/// every setting they give exists in the apps' options with a value of the right type, and the pieces that must
/// agree do (grace periods longer than the shutdown, probes on the health endpoints, POD_IP and POD_NAME).
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string[] ManifestFiles = ["configmap.yaml", "secret.yaml", "db-init-job.yaml", "silo.yaml", "web.yaml"];

    [Fact]
    public void Every_setting_in_the_Kubernetes_manifests_exists_in_the_apps_options()
    {
        var documents = ManifestFiles.SelectMany(f => DeployFiles.Yaml(DeployFiles.Folder("kubernetes", f))).ToList();
        var settings = new List<(string Key, string? Value)>();
        foreach (var document in documents)
        {
            var kind = document.Text("kind");
            if (kind == "ConfigMap")
            {
                settings.AddRange(Pairs(document.Get("data")));
            }
            else if (kind == "Secret")
            {
                settings.AddRange(Pairs(document.Get("stringData")));
            }

            foreach (var container in Containers(document))
            {
                settings.AddRange(container.Items("env").Select(e => (e.Text("name")!, e.Text("value"))));
            }
        }

        Assert.Contains(documents, d => d.Text("kind") == "PodDisruptionBudget");
        Assert.True(settings.Count > 20, $"only {settings.Count} settings found");
        Assert.Empty(settings.Select(s => KnownSettings.Problem(s.Key, s.Value)).OfType<string>());
    }

    [Fact]
    public void The_Kubernetes_containers_take_their_settings_from_the_ConfigMap_and_Secret_that_exist()
    {
        var documents = ManifestFiles.SelectMany(f => DeployFiles.Yaml(DeployFiles.Folder("kubernetes", f))).ToList();
        var configMaps = documents.Where(d => d.Text("kind") == "ConfigMap").Select(d => d.Text("metadata", "name")).ToHashSet();
        var secrets = documents.Where(d => d.Text("kind") == "Secret").Select(d => d.Text("metadata", "name")).ToHashSet();

        var containers = documents.SelectMany(Containers).ToList();

        Assert.Equal(3, containers.Count);
        Assert.All(containers, container =>
        {
            var sources = container.Items("envFrom").ToList();
            Assert.Contains(sources, s => configMaps.Contains(s.Text("configMapRef", "name")));
            Assert.Contains(sources, s => secrets.Contains(s.Text("secretRef", "name")));
        });
    }

    [Fact]
    public void Silo_pods_advertise_their_IP_and_name_have_three_probes_a_disruption_budget_and_time_to_leave()
    {
        var documents = DeployFiles.Yaml(DeployFiles.Folder("kubernetes", "silo.yaml"));
        var deployment = documents.Single(d => d.Text("kind") == "Deployment");
        var container = Assert.Single(Containers(deployment));
        var env = container.Items("env").ToDictionary(e => e.Text("name")!);

        Assert.Equal("status.podIP", env["POD_IP"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", env["POD_NAME"].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("$(POD_IP)", env["Mes__Cluster__AdvertisedAddress"].Text("value"));
        Assert.Equal("$(POD_NAME)", env["Mes__Cluster__SiloName"].Text("value"));
        AssertProbes(container);

        var labels = deployment.Get("spec", "template", "metadata", "labels");
        var budget = documents.Single(d => d.Text("kind") == "PodDisruptionBudget");
        Assert.Equal(labels!.Text("app.kubernetes.io/name"), budget.Text("spec", "selector", "matchLabels", "app.kubernetes.io/name"));
        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));

        var grace = TimeSpan.FromSeconds(int.Parse(deployment.Text("spec", "template", "spec", "terminationGracePeriodSeconds")!));
        Assert.True(grace > ShutdownTimeout(), $"terminationGracePeriodSeconds {grace} must be longer than HostOptions__ShutdownTimeout {ShutdownTimeout()}");
    }

    [Fact]
    public void Web_pods_have_three_probes_and_time_to_leave()
    {
        var deployment = DeployFiles.Yaml(DeployFiles.Folder("kubernetes", "web.yaml")).Single(d => d.Text("kind") == "Deployment");

        AssertProbes(Assert.Single(Containers(deployment)));
        var grace = TimeSpan.FromSeconds(int.Parse(deployment.Text("spec", "template", "spec", "terminationGracePeriodSeconds")!));
        Assert.True(grace > ShutdownTimeout());
    }

    [Fact]
    public void The_compose_file_runs_PostgreSQL_Mosquitto_the_schema_two_silos_and_the_web_app_with_settings_that_exist()
    {
        var compose = Assert.Single(DeployFiles.Yaml(DeployFiles.Folder("compose", "compose.yaml")));
        var services = (YamlMappingNode)compose.Get("services")!;
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();

        Assert.Equal(["postgres", "mosquitto", "db-init", "silo1", "silo2", "web"], names);
        Assert.Equal(["db", "init"], services.Get("db-init", "command")!.Items().Select(i => ((YamlScalarNode)i).Value));
        foreach (var silo in new[] { "silo1", "silo2" })
        {
            Assert.Equal("service_completed_successfully", services.Text(silo, "depends_on", "db-init", "condition"));
            Assert.True(ParseComposeDuration(services.Text(silo, "stop_grace_period")!) > ShutdownTimeout());
        }

        var settings = new[] { "db-init", "silo1", "silo2", "web" }
            .SelectMany(s => DeployFiles.Merged((YamlMappingNode)services.Get(s, "environment")!))
            .ToList();
        Assert.Contains(settings, s => s.Key == "Mes__Cluster__SiloName" && s.Value == "silo2");
        Assert.Empty(settings.Select(s => KnownSettings.Problem(s.Key, s.Value)).OfType<string>());
        Assert.True(File.Exists(DeployFiles.Folder("compose", ".env.example")));
    }

    [Theory]
    [InlineData("mes-silo.service", "silo.env.example")]
    [InlineData("mes-web.service", "web.env.example")]
    public void Systemd_units_notify_restart_outlast_the_shutdown_and_read_settings_that_exist(string unitFile, string environmentFile)
    {
        var unit = DeployFiles.Unit(DeployFiles.Folder("systemd", unitFile));
        var environment = DeployFiles.EnvironmentFile(DeployFiles.Folder("systemd", environmentFile));

        Assert.Equal(["notify"], unit["Service:Type"]);
        Assert.Equal(["always"], unit["Service:Restart"]);
        Assert.Equal([$"/etc/mes/{environmentFile.Replace(".example", "", StringComparison.Ordinal)}"], unit["Service:EnvironmentFile"]);
        var shutdown = KnownSettings.ParseDuration(environment["HostOptions__ShutdownTimeout"]);
        Assert.True(TimeSpan.FromSeconds(int.Parse(unit["Service:TimeoutStopSec"].Single())) > shutdown);
        Assert.Equal("Cluster", environment["Mes__Mode"]);
        Assert.Empty(environment.Select(s => KnownSettings.Problem(s.Key, s.Value)).OfType<string>());
    }

    [Theory]
    [InlineData("Mes__Cluster__ClusterId", "plant", null)]
    [InlineData("Mes__Cluster__ClusterID", "plant", null)]
    [InlineData("Mes__Silo__GatewayPort", "30000", null)]
    [InlineData("Mes__Cluster__ClustreId", "plant", "Mes__Cluster__ClustreId: MesClusterOptions has no property ClustreId")]
    [InlineData("Mes__Mode", "Clustered", "Mes__Mode: 'Clustered' is not a valid MesMode")]
    [InlineData("Mes__Silo__GatewayPort", "gateway", "Mes__Silo__GatewayPort: 'gateway' is not a valid Int32")]
    [InlineData("Orleans__ClusterId", "plant", "Orleans__ClusterId: no options class reads a section of it")]
    [InlineData("HostOptions__ShutdownTimeout", "a minute", "HostOptions__ShutdownTimeout: 'a minute' is not a valid TimeSpan")]
    public void A_setting_that_no_options_class_reads_or_a_value_of_the_wrong_type_is_named(string key, string value, string? problem) =>
        Assert.Equal(problem, KnownSettings.Problem(key, value));

    private static TimeSpan ShutdownTimeout()
    {
        var configMap = DeployFiles.Yaml(DeployFiles.Folder("kubernetes", "configmap.yaml")).Single();
        return KnownSettings.ParseDuration(configMap.Text("data", "HostOptions__ShutdownTimeout")!);
    }

    private static TimeSpan ParseComposeDuration(string value) =>
        value.EndsWith('s') ? TimeSpan.FromSeconds(int.Parse(value[..^1])) : throw new FormatException(value);

    private static void AssertProbes(YamlNode container)
    {
        Assert.Equal("/health/live", container.Text("startupProbe", "httpGet", "path"));
        Assert.Equal("/health/live", container.Text("livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", container.Text("readinessProbe", "httpGet", "path"));
    }

    private static IEnumerable<YamlNode> Containers(YamlNode document) => document.Items("spec", "template", "spec", "containers");

    private static IEnumerable<(string, string?)> Pairs(YamlNode? mapping) =>
        mapping is YamlMappingNode map
            ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (c.Value as YamlScalarNode)?.Value))
            : [];
}
