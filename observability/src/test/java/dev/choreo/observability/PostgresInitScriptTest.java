package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * observability/postgres/init-databases.sh, run for real against the PostgreSQL server the build uses
 * (127.0.0.1:5432, user postgres) the way the postgres image runs it: each service gets a database owned by its
 * own role, in which it can create its tables, and no other role may connect to it.
 */
class PostgresInitScriptTest {

    private static final String HOST = System.getenv().getOrDefault("DB_HOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("DB_PORT", "5432");

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String first = "obs_init_" + suffix + "_a";
    private final String second = "obs_init_" + suffix + "_b";
    private Path psql;

    @BeforeEach
    void serverAvailable() throws IOException, InterruptedException {
        psql = Tools.require("psql", "apt-get install -y --no-install-recommends postgresql-client", "/usr/bin/psql");
        Result ping = psqlAsPostgres("select 1");
        if (ping.exitCode() != 0) {
            Tools.unavailable("No PostgreSQL server at " + HOST + ":" + PORT + " for user postgres: " + ping.output());
        }
    }

    @AfterEach
    void dropWhatTheScriptCreated() throws IOException, InterruptedException {
        for (String name : List.of(first, second)) {
            psqlAsPostgres("drop database if exists " + name);
            psqlAsPostgres("drop role if exists " + name);
        }
    }

    @Test
    void createsOneDatabaseOwnedByOneRolePerServiceClosedToOthers() throws IOException, InterruptedException {
        Result init = runScript(first + " " + second);
        assertThat(init.exitCode()).as(init.output()).isZero();

        for (String name : List.of(first, second)) {
            assertThat(psqlAsPostgres("select pg_get_userbyid(datdba) from pg_database where datname = '" + name + "'").output())
                    .isEqualTo(name);
            assertThat(psqlAsPostgres("select rolcanlogin from pg_roles where rolname = '" + name + "'").output()).isEqualTo("t");
        }
        assertThat(psqlAsPostgres("select has_database_privilege('" + first + "', '" + first + "', 'CONNECT')").output()).isEqualTo("t");
        assertThat(psqlAsPostgres("select has_database_privilege('" + second + "', '" + first + "', 'CONNECT')").output())
                .as("another service's role may not connect").isEqualTo("f");

        Result ownTables = psql(first, first, "create table reservation (id bigint primary key); insert into reservation values (1); select count(*) from reservation");
        assertThat(ownTables.exitCode()).as(ownTables.output()).isZero();
        assertThat(ownTables.output()).endsWith("1");
    }

    @Test
    void refusesANameThatIsNoPlainIdentifier() throws IOException, InterruptedException {
        Result init = runScript(first + " bad-name;drop");
        assertThat(init.exitCode()).isNotZero();
        assertThat(init.output()).contains("not a plain lower-case identifier");
    }

    /** As compose runs it: the roles' password in the file the secrets container generated. */
    private Result runScript(String databases) throws IOException, InterruptedException {
        Path passwordFile = Files.createTempFile("DB_PASSWORD", "");
        Files.writeString(passwordFile, "secret-" + suffix);
        passwordFile.toFile().deleteOnExit();
        return run(List.of("bash", Repo.POSTGRES_INIT.toString()), Map.of(
                "CHOREO_DATABASES", databases,
                "CHOREO_DB_PASSWORD_FILE", passwordFile.toString(),
                "POSTGRES_USER", "postgres",
                "POSTGRES_DB", "postgres",
                "PGHOST", HOST,
                "PGPORT", PORT));
    }

    private Result psqlAsPostgres(String sql) throws IOException, InterruptedException {
        return psql("postgres", "postgres", sql);
    }

    private Result psql(String user, String database, String sql) throws IOException, InterruptedException {
        return run(List.of(psql.toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", PORT,
                "-U", user, "-d", database, "-c", sql), Map.of("PGPASSWORD", user.equals("postgres")
                ? System.getenv().getOrDefault("DB_PASSWORD", "") : "secret-" + suffix, "PGCONNECT_TIMEOUT", "5"));
    }

    private static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + " (timed out)");
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
