package dev.choreo.observability;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** observability/kafka: the broker's configuration compose runs and the ACLs declared once in acls.txt. */
final class KafkaFiles {

    private KafkaFiles() {
    }

    static Properties serverProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repo.read(Repo.KAFKA_DIR.resolve("server.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Every line of acls.txt, one entry per name (a line may list several, comma-separated). */
    static List<Acl> acls() {
        List<Acl> acls = new ArrayList<>();
        String[] lines = Repo.read(Repo.KAFKA_DIR.resolve("acls.txt")).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\\s+");
            if (columns.length != 5) {
                throw new IllegalStateException("acls.txt line " + (i + 1) + ": 5 columns expected: " + line);
            }
            for (String name : columns[3].split(",")) {
                acls.add(new Acl(columns[0], AclOperation.fromString(columns[1]),
                        ResourceType.fromString(columns[2]), name, PatternType.fromString(columns[4].toUpperCase(Locale.ROOT))));
            }
        }
        return acls;
    }

    /** One allow ACL for principal User:{@code principal}, from any host. */
    record Acl(String principal, AclOperation operation, ResourceType resourceType, String name, PatternType patternType) {

        Acl {
            if (operation == AclOperation.UNKNOWN || resourceType == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN) {
                throw new IllegalStateException("acls.txt: unknown operation, resource or pattern type in " + principal + " "
                        + operation + " " + resourceType + " " + name + " " + patternType);
            }
        }

        AclBinding binding() {
            return new AclBinding(new ResourcePattern(resourceType, name, patternType),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }

        @Override
        public String toString() {
            return principal + " " + operation + " " + resourceType.name().toLowerCase(Locale.ROOT) + " " + name;
        }
    }
}
