import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * What decoding a JPEG subsampled, as the thumbnail job does, costs the process outside the
 * heap. {@code write W H baseline|progressive FILE} writes a photo-like JPEG (8 x 8 blocks of
 * random colours); {@code decode FILE STEP} decodes it keeping every STEP-th pixel and prints
 * the process's peak RSS (VmHWM) before and after. Run the two in separate JVMs
 * (bench/jpeg-decode-memory.sh), so the writer's image is not in the reader's peak.
 */
public class JpegDecodeMemory {

	public static void main(String[] args) throws Exception {
		if (args[0].equals("write")) {
			int width = Integer.parseInt(args[1]);
			int height = Integer.parseInt(args[2]);
			BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			Random random = new Random(1);
			for (int y = 0; y < height; y += 8) {
				for (int x = 0; x < width; x += 8) {
					int colour = random.nextInt();
					for (int j = y; j < Math.min(y + 8, height); j++) {
						for (int i = x; i < Math.min(x + 8, width); i++) {
							image.setRGB(i, j, colour);
						}
					}
				}
			}
			ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
			ImageWriteParam param = writer.getDefaultWriteParam();
			if (args[3].equals("progressive")) {
				param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
			}
			try (FileImageOutputStream out = new FileImageOutputStream(new File(args[4]))) {
				writer.setOutput(out);
				writer.write(null, new IIOImage(image, null, null), param);
			}
			return;
		}
		byte[] bytes = Files.readAllBytes(Path.of(args[1]));
		int step = Integer.parseInt(args[2]);
		long before = peakRssMb();
		try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
			ImageReader reader = ImageIO.getImageReaders(in).next();
			reader.setInput(in, true, true);
			ImageReadParam param = reader.getDefaultReadParam();
			param.setSourceSubsampling(step, step, 0, 0);
			BufferedImage decoded = reader.read(0, param);
			reader.dispose();
			System.out.printf("%s: %.1f MB, decoded %d x %d; peak RSS %d MB before, %d MB after (+%d MB)%n", args[1],
					bytes.length / 1048576.0, decoded.getWidth(), decoded.getHeight(), before, peakRssMb(),
					peakRssMb() - before);
		}
	}

	private static long peakRssMb() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		throw new IllegalStateException("no VmHWM in /proc/self/status");
	}

}
