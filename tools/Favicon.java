import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Writes the site's icon, a white "V" on the accent blue, as favicon.svg (linked from
 * every page) and favicon.ico (16, 32 and 48 px PNGs, for clients that ask for
 * /favicon.ico) from one drawing, into src/main/resources/assets/images. Run from the
 * repository root after changing the drawing: java tools/Favicon.java
 */
public class Favicon {

	static final String ACCENT = "#0b57d0";

	/** The "V" on a 32 x 32 grid. */
	static final double[][] V = { { 7, 8 }, { 11.5, 8 }, { 16, 20 }, { 20.5, 8 }, { 25, 8 }, { 18.25, 25 },
			{ 13.75, 25 } };

	public static void main(String[] args) throws Exception {
		Path dir = Path.of("src/main/resources/assets/images");
		Files.writeString(dir.resolve("favicon.svg"), svg());
		List<byte[]> pngs = new ArrayList<>();
		int[] sizes = { 16, 32, 48 };
		for (int size : sizes) {
			pngs.add(png(size));
		}
		Files.write(dir.resolve("favicon.ico"), ico(sizes, pngs));
	}

	static String svg() {
		StringBuilder path = new StringBuilder();
		for (double[] point : V) {
			path.append(path.isEmpty() ? "M" : "L").append(number(point[0])).append(' ').append(number(point[1]));
		}
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">" + "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\""
				+ ACCENT + "\"/><path d=\"" + path + "Z\" fill=\"#fff\"/></svg>\n";
	}

	static byte[] png(int size) throws Exception {
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
		g.transform(AffineTransform.getScaleInstance(size / 32.0, size / 32.0));
		g.setColor(Color.decode(ACCENT));
		g.fill(new RoundRectangle2D.Double(0, 0, 32, 32, 12, 12));
		Path2D.Double v = new Path2D.Double();
		v.moveTo(V[0][0], V[0][1]);
		for (int i = 1; i < V.length; i++) {
			v.lineTo(V[i][0], V[i][1]);
		}
		v.closePath();
		g.setColor(Color.WHITE);
		g.fill(v);
		g.dispose();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ImageIO.write(image, "png", bytes);
		return bytes.toByteArray();
	}

	/** An ICO file whose images are PNGs, as every browser since 2007 reads them. */
	static byte[] ico(int[] sizes, List<byte[]> pngs) {
		int offset = 6 + 16 * sizes.length;
		int total = offset + pngs.stream().mapToInt((png) -> png.length).sum();
		ByteBuffer ico = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
		ico.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
		for (int i = 0; i < sizes.length; i++) {
			ico.put((byte) sizes[i]).put((byte) sizes[i]).put((byte) 0).put((byte) 0);
			ico.putShort((short) 1).putShort((short) 32).putInt(pngs.get(i).length).putInt(offset);
			offset += pngs.get(i).length;
		}
		pngs.forEach(ico::put);
		return ico.array();
	}

	static String number(double value) {
		return (value == Math.rint(value)) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%s", value);
	}

}
