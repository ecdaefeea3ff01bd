package dev.auditretry.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Loads a properties or YAML file from the test classpath into a context the way Spring Boot loads
 * application.properties and application.yml, so that keys such as {@code [/ledger/entries:POST]} are read as
 * users write them.
 */
public final class PropertyFiles {

    private PropertyFiles() {
    }

    public static ApplicationContextInitializer<ConfigurableApplicationContext> load(String path) {
        PropertySourceLoader loader = path.endsWith(".yml") ? new YamlPropertySourceLoader()
                : new PropertiesPropertySourceLoader();
        return (context) -> {
            try {
                for (PropertySource<?> source : loader.load(path, new ClassPathResource(path))) {
                    context.getEnvironment().getPropertySources().addFirst(source);
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        };
    }
}
